import { z } from 'zod';
import type { DepositFileRef } from './ingest-deposit-file.js';
import { INBOX_PREFIX, partnerOfInboxKey } from './output-keys.js';

/**
 * S3 writes object keys in its events URL-encoded, with spaces as `+`:
 * `inbox/partner+a/Jan%2015.csv` is the object `inbox/partner a/Jan 15.csv`.
 */
const objectKeySchema = z
  .string()
  .min(1)
  .transform((encoded, ctx) => {
    try {
      return decodeURIComponent(encoded.replaceAll('+', ' '));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `object key "${encoded}" is not URL-encoded as S3 sends it`,
      });
      return z.NEVER;
    }
  });

/**
 * The fields of an S3 event notification record the DepositProcessor reads (the Powertools S3
 * schema also insists on fields, such as an IPv4 source address, that events replayed by the
 * local runtime may lack).
 */
const s3EventRecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  eventTime: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: objectKeySchema,
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

export const s3EventSchema = z.object({ Records: z.array(s3EventRecordSchema).min(1) });
export type S3EventRecord = z.infer<typeof s3EventRecordSchema>;

/** Which records of an event are deposit files; the rest are named so they can be logged. */
export interface DepositFilesOfEvent {
  readonly files: readonly DepositFileRef[];
  readonly ignored: readonly { readonly key: string; readonly why: string }[];
}

/**
 * Deposit files are objects created under `inbox/<partner_id>/` (not folder markers). Which upload a record
 * is about comes from its sequencer (unique per write of a key, repeated when the event is
 * retried); the version id or ETag stand in where an event lacks one.
 */
export const depositFilesOf = (event: z.infer<typeof s3EventSchema>): DepositFilesOfEvent => {
  const files: DepositFileRef[] = [];
  const ignored: { key: string; why: string }[] = [];
  for (const record of event.Records) {
    const { key, sequencer, versionId, eTag } = record.s3.object;
    if (!record.eventName.startsWith('ObjectCreated:'))
      ignored.push({ key, why: `${record.eventName} is not an upload` });
    else if (!key.startsWith(INBOX_PREFIX)) ignored.push({ key, why: `not under ${INBOX_PREFIX}` });
    else if (key.endsWith('/')) ignored.push({ key, why: 'a folder marker' });
    else {
      // Only the partner's role may write under its prefix (IAM), so the prefix names the owner.
      const partner_id = partnerOfInboxKey(key);
      if (partner_id === undefined) {
        ignored.push({ key, why: `not under ${INBOX_PREFIX}<partner_id>/` });
        continue;
      }
      files.push({
        bucket: record.s3.bucket.name,
        key,
        partner_id,
        upload: sequencer ?? versionId ?? eTag ?? record.eventTime,
        ...(eTag === undefined ? {} : { etag: eTag }),
      });
    }
  }
  return { files, ignored };
};
