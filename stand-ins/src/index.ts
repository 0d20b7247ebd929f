export * from './dynamodb-local.js';
export * from './free-port.js';
export * from './pid-file.js';
export * from './postgres.js';
export * from './s3.js';
export * from './scratch-stores.js';
