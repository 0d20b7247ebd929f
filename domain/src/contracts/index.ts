export * from './account.js';
export * from './amount.js';
export * from './errors.js';
export * from './events.js';
export * from './identifiers.js';
export * from './lifecycle.js';
export * from './transaction.js';
