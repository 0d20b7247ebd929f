import { createHandler } from './create-handler.js';
import { dependencies } from './dependencies.js';

/** Reconciliation: the nightly EventBridge Scheduler run (or a manual invoke with `{"repair": true}`). */
export const handler = createHandler(dependencies);
