import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The audit stream's records (the local Firehose's gzip files): transaction ids audited, by partner. */
export const readAudit = (dir: string): { readonly ids: Set<string>; readonly records: number } => {
  const ids = new Set<string>();
  let records = 0;
  const walk = (path: string): void => {
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json.gz')) {
        for (const line of gunzipSync(readFileSync(full)).toString('utf8').split('\n')) {
          if (line.trim() === '') continue;
          records += 1;
          const record = JSON.parse(line) as {
            transaction_id?: string;
            partner_id?: string | null;
          };
          if (record.transaction_id)
            ids.add(`${record.partner_id ?? ''}\u0000${record.transaction_id}`);
        }
      }
    }
  };
  walk(dir);
  return { ids, records };
};
