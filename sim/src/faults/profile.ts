/**
 * How often each fault happens, per profile. Probabilities are per store call (or per message,
 * per delivery attempt, per invocation, as named); windows are counted in workload operations.
 */
export interface FaultProfile {
  readonly name: FaultProfileName;
  /** DynamoDB: per call. */
  readonly dynamoThrottle: number;
  readonly dynamo5xx: number;
  /** A write applied, then its answer lost (the caller sees a timeout). */
  readonly dynamoTimeoutAfterWrite: number;
  /** A write applied, the answer lost, and the SDK's retry sent it again (its answer returned). */
  readonly dynamoRetriedAfterWrite: number;
  /** TransactWriteItems cancelled with TransactionConflict; single writes TransactionConflictException. */
  readonly dynamoTransactionConflict: number;
  /** S3 and EventBridge calls: 5xx. */
  readonly aws5xx: number;
  /** SQL: per query, the connection drops before it runs. */
  readonly sqlDropBefore: number;
  /** SQL: per transaction, the connection drops in the middle (rolled back). */
  readonly sqlDropMidTransaction: number;
  /** SQL: per transaction, the commit is applied and its answer lost. */
  readonly sqlCommitAnswerLost: number;
  /** Aurora outage windows: how many per 1,000 operations, and how long (in operations). */
  readonly auroraOutagesPer1000: number;
  readonly auroraOutageOps: number;
  /** Per invocation (HTTP request, SQS batch, deposit file event): killed between two store calls. */
  readonly kill: number;
  /** Stream: per page, delivered later; per page, some records delivered twice; per publish, the Pipe fails after publishing. */
  readonly streamDelay: number;
  readonly streamDuplicate: number;
  readonly pipeFailAfterPublish: number;
  /** SQS: per routed event, sent twice; per batch, the deletes are lost (all redelivered). */
  readonly sqsDuplicateSend: number;
  readonly sqsLostDelete: number;
  /** Webhook receiver: per delivery attempt. */
  readonly webhook5xx: number;
  readonly webhookTimeout: number;
  readonly webhookHang: number;
  /** Clock jumps per 1,000 operations. */
  readonly clockJumpsPer1000: number;
}

export const faultProfileNames = ['none', 'default', 'heavy'] as const;
export type FaultProfileName = (typeof faultProfileNames)[number];

const none: FaultProfile = {
  name: 'none',
  dynamoThrottle: 0,
  dynamo5xx: 0,
  dynamoTimeoutAfterWrite: 0,
  dynamoRetriedAfterWrite: 0,
  dynamoTransactionConflict: 0,
  aws5xx: 0,
  sqlDropBefore: 0,
  sqlDropMidTransaction: 0,
  sqlCommitAnswerLost: 0,
  auroraOutagesPer1000: 0,
  auroraOutageOps: 0,
  kill: 0,
  streamDelay: 0,
  streamDuplicate: 0,
  pipeFailAfterPublish: 0,
  sqsDuplicateSend: 0,
  sqsLostDelete: 0,
  webhook5xx: 0,
  webhookTimeout: 0,
  webhookHang: 0,
  clockJumpsPer1000: 0,
};

const defaults: FaultProfile = {
  name: 'default',
  dynamoThrottle: 0.01,
  dynamo5xx: 0.004,
  dynamoTimeoutAfterWrite: 0.004,
  dynamoRetriedAfterWrite: 0.004,
  dynamoTransactionConflict: 0.01,
  aws5xx: 0.01,
  sqlDropBefore: 0.005,
  sqlDropMidTransaction: 0.01,
  sqlCommitAnswerLost: 0.005,
  auroraOutagesPer1000: 1,
  auroraOutageOps: 25,
  kill: 0.01,
  streamDelay: 0.05,
  streamDuplicate: 0.03,
  pipeFailAfterPublish: 0.02,
  sqsDuplicateSend: 0.02,
  sqsLostDelete: 0.02,
  webhook5xx: 0.08,
  webhookTimeout: 0.03,
  webhookHang: 0.01,
  clockJumpsPer1000: 2,
};

const heavy: FaultProfile = {
  name: 'heavy',
  dynamoThrottle: 0.04,
  dynamo5xx: 0.015,
  dynamoTimeoutAfterWrite: 0.015,
  dynamoRetriedAfterWrite: 0.015,
  dynamoTransactionConflict: 0.04,
  aws5xx: 0.03,
  sqlDropBefore: 0.02,
  sqlDropMidTransaction: 0.04,
  sqlCommitAnswerLost: 0.02,
  auroraOutagesPer1000: 3,
  auroraOutageOps: 40,
  kill: 0.04,
  streamDelay: 0.15,
  streamDuplicate: 0.1,
  pipeFailAfterPublish: 0.05,
  sqsDuplicateSend: 0.08,
  sqsLostDelete: 0.06,
  webhook5xx: 0.2,
  webhookTimeout: 0.06,
  webhookHang: 0.03,
  clockJumpsPer1000: 6,
};

export const faultProfiles: Readonly<Record<FaultProfileName, FaultProfile>> = {
  none,
  default: defaults,
  heavy,
};
