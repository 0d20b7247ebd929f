import { z } from 'zod';
import { partnerSchema } from '@creditline/adapters/config/env';
import { monitorCallbackUrlProblems } from '@creditline/adapters/webhooks/callback-url-policy';
import { placeholderProblems } from './placeholders.js';

/** The functions' own schema of program defaults (decimal amounts, parsed to cents). */
const programControlsInputSchema = partnerSchema.shape.controls.unwrap();

/**
 * The stack configuration, read once at program start through this schema. Pulumi hands
 * config values over as strings (structured values as JSON text); `rawConfigFromPulumi` and
 * `rawConfigFromStackFile` turn either source into the same plain object, and
 * `parseStackConfig` validates it and stops with every problem listed.
 */

/** The retention values CloudWatch Logs accepts (bounded: "never expire" is not allowed). */
export const logRetentionValues = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const retentionSchema = z
  .number()
  .int()
  .refine((days) => (logRetentionValues as readonly number[]).includes(days), {
    message: `must be one of ${logRetentionValues.join(', ')}`,
  });

/**
 * A partner as the functions see it (`partnerSchema`), minus what the program derives: its API
 * role (named per stack, in creditline's account) and its event account (`accountId`).
 */
export const stackPartnerSchema = z.strictObject({
  ...partnerSchema.omit({ roleArn: true, eventAccountId: true }).shape,
  /** The partner's AWS account: may put TransactionRequested on the bus and assume the API role. */
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  /**
   * Program defaults, validated here but handed to the functions as written (they parse the
   * same schema when they read PARTNERS), so the decimal amounts are converted in one place.
   */
  controls: z
    .record(z.string(), z.unknown())
    .superRefine((value, ctx) => {
      const parsed = programControlsInputSchema.safeParse(value);
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    })
    .optional(),
  /**
   * The principals in the partner's account that may assume its API role (aws:PrincipalArn),
   * e.g. `arn:aws:iam::<account>:role/payments-gateway`.
   */
  principalArns: z
    .array(
      z
        .string()
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, 'must be an IAM role or user ARN'),
    )
    .min(1),
  /** sts:ExternalId the partner must present: random, at least 32 characters, agreed out of band. */
  externalId: z
    .string()
    .regex(/^[A-Za-z0-9+=,.@:/-]{32,1224}$/, 'must be a random string of at least 32 characters'),
  webhookSecretArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/,
      'must be the full Secrets Manager secret ARN, with its 6-character suffix',
    ),
});
export type StackPartner = z.infer<typeof stackPartnerSchema>;

export const redshiftSchema = z.strictObject({
  /** jdbc:redshift://<endpoint>:5439/<database> */
  jdbcUrl: z
    .string()
    .regex(/^jdbc:redshift:\/\/[^/]+:\d+\/\w+$/, 'must be jdbc:redshift://host:port/database'),
  table: z
    .string()
    .regex(
      /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/,
      'must be a table name, optionally schema.table',
    ),
  /** Secrets Manager secret holding the Redshift username and password. */
  secretArn: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:/, 'must be a Secrets Manager ARN'),
  copyOptions: z.string().default("JSON 'auto' GZIP TIMEFORMAT 'auto'"),
});
export type RedshiftConfig = z.infer<typeof redshiftSchema>;

export const stackConfigSchema = z
  .strictObject({
    /** From `aws:region`. */
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1'),
    auroraMinAcu: z.number().min(0).max(256),
    auroraMaxAcu: z.number().min(1).max(256),
    deletionProtection: z.boolean(),
    logRetentionDays: retentionSchema,
    alarmEmail: z.email(),
    partners: z
      .array(stackPartnerSchema)
      .min(1)
      .refine((list) => new Set(list.map((p) => p.id)).size === list.length, {
        message: 'partner ids must be unique',
      }),
    /**
     * The partner the rows that predate tenancy belong to (006_tenancy moves them to it). The
     * migrator refuses to move existing rows without one; defaults to the first partner.
     */
    defaultPartner: z.string().optional(),
    apiThrottling: z.strictObject({
      rateLimit: z.number().positive().max(10_000),
      burstLimit: z.number().int().positive().max(5_000),
    }),
    /** An EventBridge Scheduler expression, evaluated in UTC. */
    reconciliationSchedule: z
      .string()
      .regex(
        /^(cron\(.+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/,
        'must be cron(...) or rate(...)',
      ),
    auditRetentionDays: z.number().int().min(30).max(3653),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    redshift: redshiftSchema.optional(),
  })
  .refine((config) => config.auroraMinAcu <= config.auroraMaxAcu, {
    message: 'auroraMinAcu must not exceed auroraMaxAcu',
    path: ['auroraMinAcu'],
  })
  .refine(
    (config) =>
      config.partners.every((partner) =>
        partner.principalArns.every((arn) => arn.split(':')[4] === partner.accountId),
      ),
    { message: "a partner's principalArns must be in its own accountId", path: ['partners'] },
  )
  .refine(
    (config) =>
      config.defaultPartner === undefined ||
      config.partners.some((partner) => partner.id === config.defaultPartner),
    { message: 'defaultPartner must be the id of a configured partner', path: ['defaultPartner'] },
  )
  .refine(
    (config) => new Set(config.partners.map((p) => p.eventSource)).size === config.partners.length,
    {
      message: 'partner event sources must be unique',
      path: ['partners'],
    },
  );

export type StackConfig = z.infer<typeof stackConfigSchema>;

export const stageSchema = z.enum(['dev', 'prod']);
export type Stage = z.infer<typeof stageSchema>;

export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

export interface ParseOptions {
  /**
   * Example account ids and hosts (`placeholders.ts`) are refused unless the run never reaches
   * AWS: the mocked stack tests and the offline plans say so here; `pulumi up` never does.
   */
  readonly placeholders?: 'refuse' | 'allow offline';
}

/** Validates the raw config; throws one error that lists every problem. */
export const parseStackConfig = (
  stack: string,
  raw: Readonly<Record<string, unknown>>,
  options: ParseOptions = {},
): StackConfig & { stage: Stage } => {
  const problems: string[] = [];
  const stage = stageSchema.safeParse(stack);
  if (!stage.success)
    problems.push(`stack name "${stack}": must be one of ${stageSchema.options.join(', ')}`);
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(config)';
      problems.push(`${where}: ${issue.message}`);
    }
  }
  // Needs the stage (https on 443 outside local): the same rules a request's callback_url meets.
  if (stage.success && parsed.success)
    for (const { index, message } of monitorCallbackUrlProblems(parsed.data.partners, stage.data))
      problems.push(`partners.${index}.monitorCallbackUrl: ${message}`);
  const placeholders = options.placeholders === 'allow offline' ? [] : placeholderProblems(raw);
  for (const line of placeholders) problems.push(`${line}: set the real value`);
  if (!stage.success || !parsed.success || problems.length > 0) {
    throw new StackConfigError(
      `invalid configuration for stack "${stack}":\n  ${problems.join('\n  ')}`,
    );
  }
  return { ...parsed.data, stage: stage.data };
};

const projectNamespace = 'creditline:';

/** Pulumi config values arrive as text; structured ones (numbers, booleans, lists) as JSON. */
const decode = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/**
 * From `pulumi.runtime.allConfig()` (keys `namespace:key`, values as text) to the raw object.
 * Keys of other providers' namespaces are ignored, except `aws:region`.
 */
export const rawConfigFromPulumi = (
  all: Readonly<Record<string, string>>,
): Record<string, unknown> => {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    if (key === 'aws:region') raw['region'] = value;
    else if (key.startsWith(projectNamespace))
      raw[key.slice(projectNamespace.length)] = decode(value);
  }
  return raw;
};

/** From a parsed `Pulumi.<stack>.yaml` document (its `config:` map) to the raw object. */
export const rawConfigFromStackFile = (document: unknown): Record<string, unknown> => {
  const config =
    typeof document === 'object' && document !== null && 'config' in document
      ? document.config
      : undefined;
  if (typeof config !== 'object' || config === null)
    throw new StackConfigError('stack file has no config: map');
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (key === 'aws:region') raw['region'] = value;
    else if (key.startsWith(projectNamespace)) raw[key.slice(projectNamespace.length)] = value;
  }
  return raw;
};

/** The same raw object as Pulumi would hand it to the program (values serialised as text). */
export const pulumiConfigFromRaw = (
  raw: Readonly<Record<string, unknown>>,
): Record<string, string> => {
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = key === 'region' ? 'aws:region' : `${projectNamespace}${key}`;
    all[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return all;
};
