import { createHandler } from './create-handler.js';
import { dependencies } from './dependencies.js';

/** DepositProcessor: credits the deposits of each CSV file uploaded to `inbox/`. */
export const handler = createHandler(dependencies);
