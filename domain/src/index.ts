export * from './authorization.js';
export * from './contracts/index.js';
export * from './deposits/index.js';
export * from './excerpt.js';
export * from './money.js';
export * from './ports/index.js';
export * from './reconciliation/index.js';
export * from './result.js';
