import { z } from 'zod';
import { DEFAULT_LOCAL_PARTNER } from '../identity/local-partners.js';

/**
 * The local runtime's settings: ports and folders, from flags or CREDITLINE_* variables,
 * validated once. Defaults are fixed ports so the README's demo commands can name them.
 */
export const runtimeSettingsSchema = z.object({
  dataDir: z.string().min(1).default('.data'),
  apiPort: z.coerce.number().int().min(1).max(65535).default(4000),
  awsPort: z.coerce.number().int().min(1).max(65535).default(4010),
  s3Port: z.coerce.number().int().min(1).max(65535).default(4569),
  dynamodbPort: z.coerce.number().int().min(1).max(65535).default(8000),
  postgresPort: z.coerce.number().int().min(1).max(65535).default(5433),
  /** Minutes between scheduled reconciliations; 0 turns the schedule off. */
  reconcileEveryMinutes: z.coerce.number().int().min(0).default(60),
});
export type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;

/** The names the local stage gives its resources (the same shape infra gives per stack). */
export const localNames = {
  prefix: 'creditline-local-',
  eventBus: 'creditline-local',
  depositsBucket: 'creditline-local-deposits',
  reportsBucket: 'creditline-local-reports',
  auditStream: 'creditline-local-audit',
  database: 'creditline',
  /** Rows from before tenancy (migration 006) belong to it; the partners are in identity/local-partners.ts. */
  defaultPartner: DEFAULT_LOCAL_PARTNER,
} as const;

/** What `start` writes to `<dataDir>/runtime.json` so the CLI's other commands find it. */
export const runtimeInfoSchema = z.object({
  pid: z.number().int(),
  apiUrl: z.string(),
  awsEndpoint: z.string(),
  s3Endpoint: z.string(),
  dynamodbEndpoint: z.string(),
  databaseUrl: z.string(),
  startedAt: z.string(),
});
export type RuntimeInfo = z.infer<typeof runtimeInfoSchema>;
