import { createHandler } from './create-handler.js';
import { dependencies } from './dependencies.js';

/** CallbackDispatcher: POSTs signed decisions and balance crossings to partner callback URLs, with retries. */
export const handler = createHandler(dependencies);
