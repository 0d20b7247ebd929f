/**
 * How a consumer backs off a message it could not handle: it keeps the message hidden for
 * longer before the queue delivers it again (SQS ChangeMessageVisibility; the local queue the
 * same). Bound to one queue.
 */
export interface MessageVisibility {
  /** Hides the message for `seconds` from now (0 makes it visible at once). */
  change(receiptHandle: string, seconds: number): Promise<void>;
}
