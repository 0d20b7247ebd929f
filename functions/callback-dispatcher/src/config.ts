import { configPieces, envNames } from '@creditline/adapters/config/env';
import { z } from 'zod';

/** What the CallbackDispatcher reads from its environment. */
export const dispatcherConfigSchema = configPieces.stage
  .extend(configPieces.tables.shape)
  .extend(configPieces.webhooks.shape)
  .extend(configPieces.partners.shape)
  .extend({ [envNames.callbacksQueueUrl]: z.string().min(1) });
export type DispatcherConfig = z.infer<typeof dispatcherConfigSchema>;
