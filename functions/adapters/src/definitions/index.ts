export * from './tables.js';
export * from './queues.js';
export * from './events.js';
export * from './api.js';
export * from './deposits.js';
export * from './tenancy.js';
