import { apiRoutes, routeKey } from '@creditline/adapters/definitions';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEFAULT_LOCAL_PARTNER,
  localPartner,
  localPartners,
} from '../../identity/local-partners.js';
import { startRuntime } from '../../runtime/runtime.js';
import { localNames, runtimeSettingsSchema } from '../../runtime/settings.js';
import { startWebhookReceiver } from '../../webhook-receiver.js';
import { defineCommand, UsageError } from '../command.js';
import { removeRuntimeInfo, writeRuntimeInfo } from '../runtime-info.js';

type Values = Record<string, string | boolean | undefined>;

/** Flags win over CREDITLINE_* variables, which win over the defaults. */
const settingsFrom = (values: Values) => {
  const pick = (flag: string, variable: string): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : process.env[variable];
  };
  const parsed = runtimeSettingsSchema.safeParse({
    dataDir: pick('data-dir', 'CREDITLINE_DATA_DIR'),
    apiPort: pick('port', 'CREDITLINE_PORT'),
    awsPort: pick('aws-port', 'CREDITLINE_AWS_PORT'),
    s3Port: pick('s3-port', 'CREDITLINE_S3_PORT'),
    dynamodbPort: pick('dynamodb-port', 'CREDITLINE_DYNAMODB_PORT'),
    postgresPort: pick('postgres-port', 'CREDITLINE_POSTGRES_PORT'),
    reconcileEveryMinutes: pick('reconcile-every', 'CREDITLINE_RECONCILE_EVERY_MINUTES'),
  });
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  return parsed.data;
};

export const startCommand = defineCommand({
  name: 'start',
  summary:
    'Starts the whole system locally: DynamoDB Local, PostgreSQL, s3rver, the HTTP API, the outbox, queues and the real handlers.',
  usage: '[--port 4000] [--data-dir .data]',
  help: 'State lives under --data-dir and survives restarts. Ctrl-C stops everything cleanly.',
  options: {
    port: { type: 'string' },
    'aws-port': { type: 'string' },
    's3-port': { type: 'string' },
    'dynamodb-port': { type: 'string' },
    'postgres-port': { type: 'string' },
    'reconcile-every': { type: 'string' },
    'data-dir': { type: 'string' },
  },
  async run({ values }) {
    const settings = settingsFrom(values);
    mkdirSync(resolve(settings.dataDir), { recursive: true });
    const log = (line: string) => process.stdout.write(`  ${line}\n`);
    // Signals are taken from the first moment: a Ctrl-C during start-up stops what has started.
    let signalled: string | undefined;
    let wake: () => void = () => undefined;
    const onSignal = (signal: string) => {
      signalled ??= signal;
      wake();
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.stdout.write('creditline: starting the local stand-ins...\n');
    const runtime = await startRuntime(settings, log);
    if (signalled === undefined) {
      writeRuntimeInfo(settings.dataDir, {
        pid: process.pid,
        apiUrl: runtime.apiUrl,
        awsEndpoint: runtime.awsEndpoint,
        s3Endpoint: runtime.s3Endpoint,
        dynamodbEndpoint: runtime.dynamodbEndpoint,
        databaseUrl: runtime.databaseUrl,
        startedAt: new Date().toISOString(),
      });
      process.stdout.write(
        [
          '',
          `creditline is running (state in ${resolve(settings.dataDir)})`,
          `  HTTP API        ${runtime.apiUrl}   ${apiRoutes.map(routeKey).join(' · ')}`,
          `  deposits        s3://${localNames.depositsBucket}/inbox/<partner>/ on ${runtime.s3Endpoint}`,
          `  EventBridge     PutEvents on ${runtime.awsEndpoint} (bus ${localNames.eventBus}, source partner.<partner>, signed as the partner)`,
          `  partners        ${localPartners.map((partner) => `${partner.id} (access key ${partner.accessKeyId})`).join(', ')}; the CLI acts as one with --partner`,
          `  audit           ${resolve(settings.dataDir, 'audit')}`,
          `  reconciliation  every ${settings.reconcileEveryMinutes} min (0 = off); now: pnpm creditline reconcile`,
          '',
          'Try: pnpm creditline seed --users 3 && pnpm creditline authorize --user user-0001 --amount 12.34',
          'Ctrl-C stops.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    process.stdout.write(`\n${signalled ?? 'signal'}: stopping...\n`);
    removeRuntimeInfo(settings.dataDir);
    await runtime.stop();
    process.stdout.write('creditline stopped.\n');
    return 0;
  },
});

export const webhookListenCommand = defineCommand({
  name: 'webhook listen',
  summary:
    "A partner's webhook endpoint on 127.0.0.1: verifies each delivery's Standard Webhooks signature and prints it.",
  usage: '[--port 4100] [--fail-first N] [--partner demo]',
  help: `Pass http://127.0.0.1:<port>/hook as --callback to \`creditline authorize\`. The partner's webhook secret verifies the signatures. The demo partner's balance crossings (BalanceLow, BalanceRestored) arrive here too, on the default port: it is its monitorCallbackUrl.\n--fail-first N answers 503 to the first N attempts of each delivery, to watch the retries.`,
  options: {
    port: { type: 'string', default: '4100' },
    'fail-first': { type: 'string', default: '0' },
    partner: { type: 'string', default: DEFAULT_LOCAL_PARTNER },
  },
  async run({ values }) {
    const port = Number(values.port);
    const failFirst = Number(values['fail-first']);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new UsageError('--port must be a port number');
    if (!Number.isInteger(failFirst) || failFirst < 0)
      throw new UsageError('--fail-first must be a whole number');
    const receiver = await startWebhookReceiver({
      port,
      secret: localPartner(
        typeof values.partner === 'string' ? values.partner : DEFAULT_LOCAL_PARTNER,
      ).webhookSecret,
      failFirst,
      onDelivery: (delivery) => {
        const verdict = delivery.verified
          ? 'signature ok'
          : `SIGNATURE REFUSED (${delivery.error ?? ''})`;
        process.stdout.write(
          `${new Date().toISOString()} webhook ${delivery.id} attempt ${delivery.attempt} → ${delivery.answered} (${verdict})\n${JSON.stringify(delivery.payload)}\n`,
        );
      },
    }).catch((error: unknown) => {
      throw new UsageError(
        `cannot listen on 127.0.0.1:${port}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    process.stdout.write(`listening on ${receiver.url}/hook (Ctrl-C stops)\n`);
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await receiver.stop();
    return 0;
  },
});
