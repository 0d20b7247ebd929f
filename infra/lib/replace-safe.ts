import { createHash } from 'node:crypto';
import type { TableDefinition } from '@creditline/adapters/definitions';

/**
 * Physical names that survive a replacement. Pulumi replaces a resource by creating the new
 * one first and deleting the old one after; with a fixed physical name the create collides
 * with the resource it replaces ("already exists") and `pulumi up` stops half-way. So a
 * resource whose inputs include force-new ones (a table's key schema, the audit stream's
 * destination, the Pipe's source) carries, after its readable name, a short digest of exactly
 * those inputs: the name changes exactly when a replacement is due, and never otherwise.
 */
export const forceNewDigest = (forceNew: unknown): string =>
  createHash('sha256').update(canonicalJson(forceNew)).digest('hex').slice(0, 8);

export const replaceSafeName = (base: string, forceNew: unknown, maxLength = 64): string => {
  const name = `${base}-${forceNewDigest(forceNew)}`;
  if (name.length > maxLength)
    throw new Error(`name ${name} is longer than ${maxLength} characters`);
  return name;
};

/** JSON with sorted keys, so the digest does not depend on the order inputs were written in. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );

/** A DynamoDB table is replaced when its key schema (hash key, range key) changes. */
export const tableForceNewInputs = (
  definition: Pick<TableDefinition, 'partitionKey'>,
): unknown => ({
  hashKey: definition.partitionKey,
});

/** A Firehose stream is replaced when its destination (`extended_s3`, `redshift`) changes. */
export const firehoseForceNewInputs = (destination: string): unknown => ({ destination });

/** A Pipe is replaced when its source changes (a new stream ARN after the table is replaced). */
export const pipeForceNewInputs = (source: string): unknown => ({ source });
