import { configPieces, envNames } from '@creditline/adapters/config/env';
import { z } from 'zod';

/** What the Reconciliation function reads from its environment, and nothing more. */
export const reconciliationConfigSchema = configPieces.stage
  .extend(configPieces.tables.shape)
  .extend(configPieces.reportsBucket.shape)
  .extend(configPieces.eventBus.shape)
  .extend({ [envNames.callbacksDlqUrl]: z.string().min(1) })
  .and(configPieces.database);
export type ReconciliationConfig = z.infer<typeof reconciliationConfigSchema>;

/**
 * Run settings a scheduled event may override. Eight segments keep a 2 GB Lambda's CPU busy
 * decoding pages without crowding DynamoDB; the outbox settles a decision in seconds, so one
 * still pending after 15 minutes is stuck.
 */
export const defaultRunSettings = { segments: 8, unsettledThresholdMs: 15 * 60_000 } as const;
export type RunSettings = { readonly segments: number; readonly unsettledThresholdMs: number };
