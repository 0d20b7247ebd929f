export * from './credits.js';
export * from './file-validator.js';
export * from './header.js';
export * from './in-file-dedup.js';
export * from './rejection.js';
export * from './row.js';
export * from './timestamp.js';
export * from './row-shape.js';
