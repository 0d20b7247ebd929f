import { z } from 'zod';

/**
 * The EventBridge Scheduler target input (infra sends `{"repair": false}`), which is also what
 * an operator passes to a manual invoke: `{"repair": true}`, optionally with scan segments or
 * the unsettled threshold. Scheduler delivers the input as the event itself, with no envelope.
 */
export const scheduledReconciliationSchema = z.strictObject({
  repair: z.boolean().default(false),
  segments: z.number().int().min(1).max(1_000_000).optional(),
  unsettled_threshold_ms: z.number().int().positive().optional(),
});
export type ScheduledReconciliation = z.infer<typeof scheduledReconciliationSchema>;
