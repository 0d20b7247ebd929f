export * from './authorization.js';
export * from './contracts/index.js';
export * from './money.js';
export * from './ports/index.js';
export * from './result.js';
