import { dlqName, type QueueDefinition } from '@creditline/adapters/definitions';
import type { InProcessBus } from '../bus/in-process-bus.js';
import { LOCAL_REGION, localPartnerByAccessKey } from '../identity/local-partners.js';
import { verifyRequest } from '../identity/sigv4.js';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LocalQueue } from '../queues/local-queue.js';
import type { LocalSecretStore } from '../secrets/local-secret-store.js';
import { AwsServiceError, startAwsEndpoint, type ReceivedRequest } from '../aws-endpoint/server.js';
import { localNames } from './settings.js';

const ACCOUNT = '000000000000';
const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/** The URL of a local queue on this endpoint (SendMessage: `webhook replay`). */
export const localQueueUrl = (
  endpoint: string,
  queue: Pick<QueueDefinition, 'logicalName'>,
): string => `${endpoint}/${ACCOUNT}/${localNames.prefix}${queue.logicalName}`;

/** The URL of a local queue's dead-letter queue on this endpoint (what the SQS adapter is given). */
export const localDlqUrl = (
  endpoint: string,
  queue: Pick<QueueDefinition, 'logicalName'>,
): string => `${endpoint}/${ACCOUNT}/${localNames.prefix}${dlqName(queue.logicalName)}`;

const putEventsSchema = z.object({
  Entries: z
    .array(
      z.object({
        Source: z.string(),
        DetailType: z.string(),
        Detail: z.string(),
        EventBusName: z.string().optional(),
        Time: z.union([z.string(), z.number()]).optional(),
      }),
    )
    .min(1)
    .max(10),
});
const receiveSchema = z.object({
  QueueUrl: z.string(),
  MaxNumberOfMessages: z.number().int().min(1).max(10).default(1),
  VisibilityTimeout: z.number().int().min(0).default(30),
});
const changeVisibilityBatchSchema = z.object({
  QueueUrl: z.string(),
  Entries: z.array(
    z.object({
      Id: z.string(),
      ReceiptHandle: z.string(),
      VisibilityTimeout: z.number().int().min(0),
    }),
  ),
});
const queueUrlSchema = z.object({ QueueUrl: z.string() });
const moveTaskSchema = z.object({ SourceArn: z.string() });
const sendMessageSchema = z.object({
  QueueUrl: z.string(),
  MessageBody: z.string(),
  DelaySeconds: z.number().int().min(0).max(900).default(0),
});
const secretIdSchema = z.object({ SecretId: z.string().min(1) });
const putSecretSchema = secretIdSchema.extend({ SecretString: z.string() });
/** `local:<name>` (the ARN the local partners are configured with) or the bare name. */
const secretName = (secretId: string): string => secretId.replace(/^local:/, '');

/**
 * Who put an event, as EventBridge stamps it in `account`: a request signed with a local
 * partner's access key must carry that partner's valid signature and is stamped with the
 * partner's own account; anything else (creditline's own functions, signing with the shared
 * local key) is creditline's account, which no partner's events come from.
 */
const putterAccount = async (request: ReceivedRequest): Promise<string> => {
  const accessKey = /Credential=([^/,\s]+)\//.exec(request.headers['authorization'] ?? '')?.[1];
  const partner = accessKey === undefined ? undefined : localPartnerByAccessKey(accessKey);
  if (partner === undefined) return ACCOUNT;
  const verdict = await verifyRequest(
    request,
    (key) => (key === partner.accessKeyId ? partner.secretAccessKey : undefined),
    { region: LOCAL_REGION, service: 'events' },
  );
  if (!verdict.ok) throw new AwsServiceError('InvalidSignatureException', verdict.reason, 403);
  return partner.accountId;
};

/**
 * The local runtime's AWS endpoint: EventBridge PutEvents into the in-process bus (so a partner
 * can publish TransactionRequested with the real SDK or CLI), and the SQS operations the
 * operator's dead-letter commands use (so `creditline dlq` runs the same SQS adapter locally as
 * against real queues). A dead letter listed is hidden for the peek's visibility timeout, as
 * SQS does, until made visible again.
 */
export const startLocalAwsEndpoint = async (options: {
  port: number;
  queues: readonly LocalQueue[];
  bus: InProcessBus;
  secrets: LocalSecretStore;
}) => {
  const hiddenUntil = new Map<string, number>();
  let endpoint = '';
  const queueFor = (queueUrl: string): LocalQueue => {
    const queue = options.queues.find(
      (candidate) =>
        localDlqUrl(endpoint, candidate.definition) === queueUrl ||
        queueUrl.endsWith(`/${localNames.prefix}${dlqName(candidate.definition.logicalName)}`),
    );
    if (!queue)
      throw new AwsServiceError(
        'AWS.SimpleQueueService.NonExistentQueue',
        `no local dead-letter queue at ${queueUrl}`,
      );
    return queue;
  };

  const server = await startAwsEndpoint({
    port: options.port,
    operations: {
      'AWSEvents.PutEvents': async (input, request) => {
        const { Entries } = putEventsSchema.parse(input);
        await options.bus.publishFrom(
          await putterAccount(request),
          Entries.map((entry) => ({
            source: entry.Source,
            detailType: entry.DetailType,
            detail: JSON.parse(entry.Detail) as unknown,
          })),
        );
        return { FailedEntryCount: 0, Entries: Entries.map(() => ({ EventId: randomUUID() })) };
      },
      'AmazonSQS.ReceiveMessage': (input) => {
        const request = receiveSchema.parse(input);
        const queue = queueFor(request.QueueUrl);
        const now = Date.now();
        const visible = queue
          .listDeadLetters(Number.MAX_SAFE_INTEGER)
          .filter((letter) => (hiddenUntil.get(letter.messageId) ?? 0) <= now);
        const batch = visible.slice(0, request.MaxNumberOfMessages);
        for (const letter of batch)
          hiddenUntil.set(letter.messageId, now + request.VisibilityTimeout * 1000);
        return Promise.resolve({
          Messages: batch.map((letter) => ({
            MessageId: letter.messageId,
            ReceiptHandle: letter.messageId,
            MD5OfBody: md5(letter.body),
            Body: letter.body,
            Attributes: {
              ApproximateReceiveCount: String(letter.receiveCount),
              SentTimestamp: String(Date.parse(letter.sentAt)),
            },
          })),
        });
      },
      'AmazonSQS.ChangeMessageVisibilityBatch': (input) => {
        const request = changeVisibilityBatchSchema.parse(input);
        queueFor(request.QueueUrl);
        for (const entry of request.Entries)
          hiddenUntil.set(entry.ReceiptHandle, Date.now() + entry.VisibilityTimeout * 1000);
        return Promise.resolve({
          Successful: request.Entries.map((entry) => ({ Id: entry.Id })),
          Failed: [],
        });
      },
      'AmazonSQS.GetQueueAttributes': (input) => {
        const queue = queueFor(queueUrlSchema.parse(input).QueueUrl);
        return Promise.resolve({
          Attributes: {
            QueueArn: queue.dlqArn,
            ApproximateNumberOfMessages: String(queue.counts().deadLetters),
          },
        });
      },
      'AmazonSQS.SendMessage': (input) => {
        const request = sendMessageSchema.parse(input);
        const queue = options.queues.find(
          (candidate) =>
            localQueueUrl(endpoint, candidate.definition) === request.QueueUrl ||
            request.QueueUrl.endsWith(`/${localNames.prefix}${candidate.definition.logicalName}`),
        );
        if (!queue)
          throw new AwsServiceError(
            'AWS.SimpleQueueService.NonExistentQueue',
            `no local queue at ${request.QueueUrl}`,
          );
        const messageId = queue.send(request.MessageBody, request.DelaySeconds);
        return Promise.resolve({
          MessageId: messageId,
          MD5OfMessageBody: md5(request.MessageBody),
        });
      },
      'secretsmanager.GetSecretValue': (input) => {
        const name = secretName(secretIdSchema.parse(input).SecretId);
        const value = options.secrets.get(name);
        if (value === undefined)
          throw new AwsServiceError('ResourceNotFoundException', `no local secret ${name}`);
        return Promise.resolve({
          ARN: `local:${name}`,
          Name: name,
          SecretString: value,
          VersionId: md5(value),
        });
      },
      'secretsmanager.PutSecretValue': (input) => {
        const request = putSecretSchema.parse(input);
        const name = secretName(request.SecretId);
        if (options.secrets.get(name) === undefined)
          throw new AwsServiceError('ResourceNotFoundException', `no local secret ${name}`);
        options.secrets.put(name, request.SecretString);
        return Promise.resolve({
          ARN: `local:${name}`,
          Name: name,
          VersionId: md5(request.SecretString),
        });
      },
      'AmazonSQS.StartMessageMoveTask': (input) => {
        const { SourceArn } = moveTaskSchema.parse(input);
        const queue = options.queues.find((candidate) => candidate.dlqArn === SourceArn);
        if (!queue)
          throw new AwsServiceError(
            'ResourceNotFoundException',
            `no local dead-letter queue ${SourceArn}`,
          );
        queue.redriveDeadLetters();
        hiddenUntil.clear();
        return Promise.resolve({ TaskHandle: randomUUID() });
      },
    },
  });
  endpoint = server.url;
  return server;
};
