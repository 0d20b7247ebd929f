/**
 * Sends a message to a queue that becomes visible after a delay (SQS SendMessage with
 * DelaySeconds, at most 900; the local queue the same). Bound to one queue. How the
 * CallbackDispatcher chains its retries without holding a message in flight for hours.
 */
export interface DelayedMessages {
  send(body: string, delaySeconds: number): Promise<void>;
}
