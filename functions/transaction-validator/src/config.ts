import { configPieces } from '@creditline/adapters/config/env';
import type { z } from 'zod';

/** What the TransactionValidator reads from its environment, and nothing more. */
export const validatorConfigSchema = configPieces.stage
  .extend(configPieces.tables.shape)
  .extend(configPieces.webhooks.shape)
  .extend(configPieces.partners.shape)
  .extend(configPieces.eventBus.shape)
  .and(configPieces.database);
export type ValidatorConfig = z.infer<typeof validatorConfigSchema>;
