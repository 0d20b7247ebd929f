export * from './catalog.js';
export * from './contract-validator.js';
export * from './json-schema.js';
export * from './openapi.js';
