export * from './deposit-matcher.js';
export * from './inputs.js';
export * from './outbox.js';
export * from './reconciler.js';
export * from './report.js';
export * from './user-books.js';
