import { callbacksQueue, scopedKey } from '@creditline/adapters/definitions';
import {
  identifierSchema,
  type DeadLetter,
  type DeadLetteredCallback,
  type QueueAdmin,
} from '@creditline/domain';
import { z } from 'zod';
import type { DeadLetters } from './ports.js';

const decisionIds = z.object({
  transaction_id: identifierSchema,
  user_id: identifierSchema,
  partner_id: identifierSchema,
});

/** A callbacks message is the TransactionDecided event as the bus rule delivers it; its detail names the decision. */
const callbackMessageSchema = z.union([
  z.object({ detail: decisionIds }).transform((event) => event.detail),
  decisionIds,
]);

/**
 * A dead letter whose body cannot be read is still reported, under its message id, so nothing
 * in the DLQ goes unseen.
 */
export const toDeadLetteredCallback = (letter: DeadLetter): DeadLetteredCallback => {
  let body: unknown;
  try {
    body = JSON.parse(letter.body);
  } catch {
    body = undefined;
  }
  const parsed = callbackMessageSchema.safeParse(body);
  return parsed.success
    ? // Named by scoped keys, as the rest of the run names decisions and users.
      {
        transaction_id: scopedKey(parsed.data.partner_id, parsed.data.transaction_id),
        user_id: scopedKey(parsed.data.partner_id, parsed.data.user_id),
      }
    : { transaction_id: `unreadable-message:${letter.messageId}`, user_id: 'unknown' };
};

/** Reads the callbacks DLQ through the operator's queue-admin port (SQS in AWS, in-process locally), without removing anything. */
export const createDeadLetters = (admin: QueueAdmin, limit = 10_000): DeadLetters => ({
  callbacks: async () =>
    (await admin.listDeadLetters(callbacksQueue.logicalName, limit)).map(toDeadLetteredCallback),
});
