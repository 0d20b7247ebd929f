/**
 * Operator access to a queue's dead letters: what the `creditline dlq` commands work through,
 * against real SQS queues (AWS credentials) or the local runtime's in-process queues.
 * Queues are named by their logical name (`callbacks`, `transaction-log`).
 */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** Receives of the message as the queue counts them (SQS counts the listing's own peeks too). */
  readonly receiveCount: number;
  /** ISO-8601: when the message was first sent to the source queue. */
  readonly sentAt: string;
}

export interface RedriveResult {
  /** Messages moved back to the source queue, or, when the move runs asynchronously (SQS), the count it started with. */
  readonly moved: number;
  /** Set when the move runs asynchronously (an SQS message move task). */
  readonly taskHandle?: string;
}

export interface QueueAdmin {
  /** The logical names this admin knows. */
  readonly queueNames: readonly string[];
  /** Up to `limit` dead letters of `queue`, without removing them. */
  listDeadLetters(queue: string, limit: number): Promise<DeadLetter[]>;
  /** Moves every dead letter of `queue` back to it, to be delivered again. */
  redriveDeadLetters(queue: string): Promise<RedriveResult>;
}
