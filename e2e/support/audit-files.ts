import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface AuditFile {
  /** Path under the data dir, e.g. `audit/year=2026/month=11/day=25/creditline-local-audit-1-....json.gz`. */
  readonly path: string;
  readonly records: readonly Record<string, unknown>[];
}

const listFiles = (dir: string): string[] => {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
};

/** Every gzip object the local Firehose delivered under `<dataDir>/audit`, gunzipped, one JSON record a line. */
export const readAuditFiles = (dataDir: string): AuditFile[] =>
  listFiles(join(dataDir, 'audit'))
    .filter((file) => file.endsWith('.json.gz'))
    .map((file) => ({
      path: relative(dataDir, file),
      records: gunzipSync(readFileSync(file))
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    }));
