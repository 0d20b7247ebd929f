import { createHandler } from './create-handler.js';
import { dependencies } from './dependencies.js';

/** TransactionLogger: settles published decisions into Aurora and the audit stream. */
export const handler = createHandler(dependencies);
