export * from './clock.js';
export * from './errors.js';
export * from './event-publisher.js';
export * from './sql-client.js';
