import { configPieces } from '@creditline/adapters/config/env';
import type { z } from 'zod';

/** What the DepositProcessor reads from its environment. The bucket comes with each event. */
export const depositProcessorConfigSchema = configPieces.stage
  .extend(configPieces.tables.shape)
  .extend(configPieces.eventBus.shape)
  .and(configPieces.database);
export type DepositProcessorConfig = z.infer<typeof depositProcessorConfigSchema>;
