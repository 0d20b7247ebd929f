import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { callbacksQueue, tableNames } from '@creditline/adapters/definitions';
import { createWebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import { createSqsDelayedMessages } from '@creditline/adapters/sqs/delayed-messages';
import { rotateWebhookSecret } from '@creditline/adapters/webhooks/rotate-secret';
import { replayFailedDeliveries } from '@creditline/callback-dispatcher/replay-deliveries';
import { identifierSchema } from '@creditline/domain';
import { createLocalClients } from '../../runtime/local-clients.js';
import { localQueueUrl } from '../../runtime/local-aws-endpoint.js';
import { localNames } from '../../runtime/settings.js';
import { defineCommand, UsageError } from '../command.js';
import { printJson } from '../http.js';
import { readRuntimeInfo } from '../runtime-info.js';

type Values = Record<string, string | boolean | undefined>;
const dataDirOf = (values: Values): string => (typeof values['data-dir'] === 'string' ? values['data-dir'] : '.data');

const partnerOf = (values: Values): string => {
  const parsed = identifierSchema.safeParse(values.partner);
  if (!parsed.success) throw new UsageError('--partner <id> is required (a partner id such as demo)');
  return parsed.data;
};

const timeOf = (values: Values, flag: string): Date | undefined => {
  const text = values[flag];
  if (text === undefined) return undefined;
  const at = typeof text === 'string' ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--${flag} must be an ISO-8601 time such as 2026-12-02T12:00:00Z`);
  return at;
};

/** How long the old key keeps signing when --retire-at is not given. */
const DEFAULT_OVERLAP_MS = 24 * 3600_000;

export const webhookRotateCommand = defineCommand({
  name: 'webhook rotate',
  summary: "Rotates a partner's webhook secret without downtime: both keys sign until the old one retires.",
  usage: '--partner <id> [--retire-at <ISO time, default now + 24 h>] [--secret-arn <Secrets Manager ARN>]',
  help: [
    'Adds a new key to the partner\'s webhook secret and prints it once: give it to the partner.',
    'Until --retire-at every delivery carries two signatures (`v1,<old> v1,<new>`), so the partner\'s',
    'verifier accepts it with either secret; from then on only the new key signs.',
    'Without --secret-arn it rotates the local runtime\'s secret of the partner; with it, that secret in AWS.',
  ].join('\n'),
  options: { partner: { type: 'string' }, 'retire-at': { type: 'string' }, 'secret-arn': { type: 'string' }, 'data-dir': { type: 'string', default: '.data' } },
  async run({ values }) {
    const partner = partnerOf(values);
    const now = new Date();
    const retireAt = timeOf(values, 'retire-at') ?? new Date(now.getTime() + DEFAULT_OVERLAP_MS);
    if (retireAt.getTime() <= now.getTime()) throw new UsageError('--retire-at must be in the future: the old key has to keep signing while the partner switches');
    const arn = values['secret-arn'];
    // Real Secrets Manager: region and credentials come from the usual AWS environment and profiles.
    const client = typeof arn === 'string' ? new SecretsManagerClient({}) : createLocalClients(readRuntimeInfo(dataDirOf(values))).secretsManager();
    try {
      printJson({ partner_id: partner, ...(await rotateWebhookSecret(client, { secretId: typeof arn === 'string' ? arn : `local:${partner}`, retireAt, now })) });
    } finally {
      client.destroy();
    }
    return 0;
  },
});

export const webhookReplayCommand = defineCommand({
  name: 'webhook replay',
  summary: 'Sends again every callback of a partner that failed since a time (same webhook-id).',
  usage: '--partner <id> --since <ISO time>',
  help: 'Replays deliveries that exhausted their retries, were refused, or went to a disabled endpoint (which it re-enables). Running it twice sends nothing twice.',
  options: { partner: { type: 'string' }, since: { type: 'string' }, 'data-dir': { type: 'string', default: '.data' } },
  async run({ values }) {
    const partnerId = partnerOf(values);
    const since = timeOf(values, 'since');
    if (!since) throw new UsageError('--since <ISO time> is required');
    const info = readRuntimeInfo(dataDirOf(values));
    const clients = createLocalClients(info);
    const sqs = clients.sqs();
    try {
      const report = await replayFailedDeliveries(
        { partnerId, since },
        {
          webhooks: createWebhookStore(clients.doc, tableNames(localNames.prefix).webhooks),
          retries: createSqsDelayedMessages(sqs, localQueueUrl(info.awsEndpoint, callbacksQueue)),
          clock: { now: () => new Date() },
        },
      );
      printJson(report);
      process.stderr.write(`${report.replayed.length} delivery(ies) replayed for ${partnerId}\n`);
      return 0;
    } finally {
      sqs.destroy();
      await clients.close();
    }
  },
});
