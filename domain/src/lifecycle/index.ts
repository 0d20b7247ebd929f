export * from './authorize.js';
export * from './hold-expiry.js';
export * from './hold-figures.js';
export * from './idempotency.js';
export * from './transitions.js';
export * from './expiry-buckets.js';
