import { programControlsInputSchema } from '@creditline/domain';
import { z } from 'zod';

/**
 * Function configuration is read from the environment once per cold start, validated, and
 * the process fails fast with every problem listed. Secrets never travel in the environment:
 * only their ARNs do, and the values are fetched at run time.
 *
 * The variable names are the contract between `infra/` (which sets them), the local runtime
 * (which sets them for the same handlers) and the functions (which read them).
 */
export const envNames = {
  stage: 'CREDITLINE_STAGE',
  creditCacheTable: 'TABLE_CREDIT_CACHE',
  depositEventsTable: 'TABLE_DEPOSIT_EVENTS',
  transactionLogTable: 'TABLE_TRANSACTION_LOG',
  webhooksTable: 'TABLE_WEBHOOKS',
  /** Aurora through the Data API (AWS). */
  dbClusterArn: 'DB_CLUSTER_ARN',
  dbSecretArn: 'DB_SECRET_ARN',
  dbName: 'DB_NAME',
  /** PostgreSQL through node-postgres (local runtime, tests). Takes precedence when set. */
  databaseUrl: 'DATABASE_URL',
  eventBusName: 'EVENT_BUS_NAME',
  depositsBucket: 'DEPOSITS_BUCKET',
  reportsBucket: 'REPORTS_BUCKET',
  auditStream: 'AUDIT_DELIVERY_STREAM',
  transactionLogQueueUrl: 'TRANSACTION_LOG_QUEUE_URL',
  transactionLogDlqUrl: 'TRANSACTION_LOG_DLQ_URL',
  callbacksQueueUrl: 'CALLBACKS_QUEUE_URL',
  callbacksDlqUrl: 'CALLBACKS_DLQ_URL',
  /** JSON list of partners: id, event source, callback host allow-list, webhook secret ARN. */
  partners: 'PARTNERS',
  /** The migrator: the partner that rows from before tenancy (006_tenancy) belong to. */
  defaultPartner: 'DEFAULT_PARTNER',
} as const;

export const stageSchema = z.enum(['local', 'dev', 'prod']);
export type Stage = z.infer<typeof stageSchema>;

export const partnerIdSchema = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and -');

/** How many requests a partner may make per second on each path, and the burst above it. */
export const rateLimitSchema = z.strictObject({
  perSecond: z.number().positive().max(10_000),
  burst: z.number().int().positive().max(20_000),
});
export type RateLimit = z.infer<typeof rateLimitSchema>;

export const partnerSchema = z.object({
  id: partnerIdSchema,
  /**
   * The IAM role the partner assumes to call the HTTP API: a request is this partner's exactly
   * when the principal the IAM authorizer verified is a session of this role.
   */
  roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN'),
  /** EventBridge source the partner publishes TransactionRequested under. */
  eventSource: z.string().startsWith('partner.'),
  /** The AWS account the partner's events come from (EventBridge's `account`). */
  eventAccountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  /** Hosts a callback_url of this partner may point at (exact, or `*.example.com`). */
  callbackHosts: z.array(z.string().min(1)).min(1),
  /**
   * Where the partner's BalanceLow / BalanceRestored callbacks go; without it its balance
   * crossings are published on the bus but not called back. It meets the callback_url rules
   * against `callbackHosts` (`monitorCallbackUrlProblems`, checked where the stage is known).
   */
  monitorCallbackUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Secrets Manager ARN (AWS) or `local:<secret>` (local runtime) of the webhook signing secret. */
  webhookSecretArn: z.string().min(1),
  /** Program defaults: the limits and monitors of this partner's users until it sets their own. */
  controls: programControlsInputSchema.optional(),
  /** Per-partner rate limit, applied separately to the HTTP path and to the event path. */
  rateLimit: rateLimitSchema,
});
export type Partner = z.infer<typeof partnerSchema>;

const nonEmpty = z.string().min(1);

/** Pieces a function composes into its own schema: it asks only for what it uses. */
export const configPieces = {
  // Required, no default: a function that lost its stage must not fall back to `local`, which
  // relaxes the SSRF guard (plain http, private addresses) for callbacks.
  stage: z.object({
    [envNames.stage]: z.enum(stageSchema.options, {
      error: (issue) =>
        issue.input === undefined
          ? `${envNames.stage} is required (one of ${stageSchema.options.join(', ')}); it is never assumed`
          : `must be one of ${stageSchema.options.join(', ')}`,
    }),
  }),
  tables: z.object({
    [envNames.creditCacheTable]: nonEmpty,
    [envNames.depositEventsTable]: nonEmpty,
    [envNames.transactionLogTable]: nonEmpty,
  }),
  database: z.union([
    z.object({ [envNames.databaseUrl]: nonEmpty }),
    z.object({
      [envNames.dbClusterArn]: nonEmpty,
      [envNames.dbSecretArn]: nonEmpty,
      [envNames.dbName]: nonEmpty,
    }),
  ]),
  webhooks: z.object({ [envNames.webhooksTable]: nonEmpty }),
  eventBus: z.object({ [envNames.eventBusName]: nonEmpty }),
  depositsBucket: z.object({ [envNames.depositsBucket]: nonEmpty }),
  reportsBucket: z.object({ [envNames.reportsBucket]: nonEmpty }),
  audit: z.object({ [envNames.auditStream]: nonEmpty }),
  partners: z.object({
    [envNames.partners]: z
      .string()
      .default('[]')
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array of partners' });
          return z.NEVER;
        }
      })
      .pipe(z.array(partnerSchema)),
  }),
} as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment against `schema`; throws one error naming every bad variable. */
export const readConfig = <S extends z.ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): z.infer<S> => {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  );
  throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
};
