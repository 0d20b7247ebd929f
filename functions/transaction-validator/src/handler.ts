import { createHandler } from './create-handler.js';
import { dependencies } from './dependencies.js';

/** TransactionValidator: `POST /v1/transactions` and friends, and TransactionRequested events. */
export const handler = createHandler(dependencies);
