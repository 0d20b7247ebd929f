export * from './account.js';
export * from './amount.js';
export * from './errors.js';
export * from './events.js';
export * from './identifiers.js';
export * from './transaction.js';
export * from './balance.js';
export * from './webhooks.js';
