import { configPieces } from '@creditline/adapters/config/env';
import type { z } from 'zod';

/** What the TransactionLogger reads from its environment. */
export const loggerConfigSchema = configPieces.stage
  .extend(configPieces.tables.shape)
  .extend(configPieces.audit.shape)
  .and(configPieces.database);
export type LoggerConfig = z.infer<typeof loggerConfigSchema>;
