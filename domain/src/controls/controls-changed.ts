import { z } from 'zod';
import { identifierSchema, isoTimestampSchema } from '../contracts/identifiers.js';
import { accountControlsSchema } from './controls.js';

/** Detail of a `ControlsChanged` event: one per version, with what it replaced. */
export const controlsChangedDetailSchema = z.object({
  partner_id: z.string(),
  user_id: identifierSchema,
  version: z.number().int().positive(),
  controls: accountControlsSchema,
  previous: accountControlsSchema,
  changed_by: z.string(),
  changed_at: isoTimestampSchema,
});
export type ControlsChangedDetail = z.infer<typeof controlsChangedDetailSchema>;
