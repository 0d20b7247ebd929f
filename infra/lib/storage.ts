/**
 * Bucket lifecycle rules as data. Every bucket: abort incomplete uploads after 7 days, keep
 * noncurrent versions 30 days. Then per bucket:
 * - deposits: uploaded and result files move to Infrequent Access after 30 days; kept.
 * - reports: expire after a year (reconciliation runs nightly; drift reports are re-creatable).
 * - audit: Infrequent Access at 30 days, Glacier Instant Retrieval at 90, expire at the
 *   configured audit retention.
 */
export type BucketKind = 'deposits' | 'reports' | 'audit';
export const bucketKinds: readonly BucketKind[] = ['deposits', 'reports', 'audit'];

export interface LifecycleRule {
  readonly id: string;
  readonly status: 'Enabled';
  readonly filter: { readonly prefix: string };
  readonly abortIncompleteMultipartUpload?: { readonly daysAfterInitiation: number };
  readonly noncurrentVersionExpiration?: { readonly noncurrentDays: number };
  readonly transitions?: readonly { readonly days: number; readonly storageClass: string }[];
  readonly expiration?: { readonly days: number };
}

const housekeeping: LifecycleRule = {
  id: 'housekeeping',
  status: 'Enabled',
  filter: { prefix: '' },
  abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
  noncurrentVersionExpiration: { noncurrentDays: 30 },
};

export const lifecycleRules = (
  kind: BucketKind,
  options: { readonly auditRetentionDays: number },
): LifecycleRule[] => {
  switch (kind) {
    case 'deposits':
      return [
        housekeeping,
        {
          id: 'infrequent-access',
          status: 'Enabled',
          filter: { prefix: '' },
          transitions: [{ days: 30, storageClass: 'STANDARD_IA' }],
        },
      ];
    case 'reports':
      return [
        housekeeping,
        {
          id: 'expire-reports',
          status: 'Enabled',
          filter: { prefix: 'reports/' },
          expiration: { days: 365 },
        },
      ];
    case 'audit': {
      const days = options.auditRetentionDays;
      const transitions = [
        { days: 30, storageClass: 'STANDARD_IA' },
        { days: 90, storageClass: 'GLACIER_IR' },
      ].filter((transition) => transition.days < days);
      return [
        housekeeping,
        {
          id: 'audit-retention',
          status: 'Enabled',
          filter: { prefix: '' },
          transitions,
          expiration: { days },
        },
      ];
    }
  }
};

/** Firehose prefixes in the audit bucket (Hive-style date partitions). */
export const auditPrefix =
  'audit/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/';
export const auditErrorPrefix =
  'audit-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/';
/** Where Firehose stages records for the Redshift COPY, when Redshift delivery is on. */
export const redshiftStagingPrefix = 'redshift-staging/';

/**
 * The audit bucket is write-once: Object Lock keeps every version for the audit retention.
 * COMPLIANCE where data is protected (nobody, not even the account root, shortens it);
 * GOVERNANCE elsewhere, so a disposable stack can still be torn down by a principal allowed
 * to bypass it.
 */
export const auditObjectLock = (options: {
  readonly auditRetentionDays: number;
  readonly deletionProtection: boolean;
}): { readonly mode: 'COMPLIANCE' | 'GOVERNANCE'; readonly days: number } => ({
  mode: options.deletionProtection ? 'COMPLIANCE' : 'GOVERNANCE',
  days: options.auditRetentionDays,
});
