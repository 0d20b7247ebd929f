import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createLocalFirehose } from './local-firehose.js';

describe('local Firehose', () => {
  it('writes each batch as one gzip object in the year=/month=/day= layout, records concatenated as sent', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'creditline-firehose-'));
    const firehose = createLocalFirehose({
      dir,
      streamName: 'creditline-local-audit',
      clock: { now: () => new Date('2026-03-04T05:06:07.000Z') },
    });
    const lines = ['{"event_id":"e1"}\n', '{"event_id":"e2"}\n'];

    // Act
    const outcomes = await firehose.putRecords(lines);

    // Assess
    expect(outcomes).toEqual([{ ok: true }, { ok: true }]);
    const partition = join(dir, 'audit', 'year=2026', 'month=03', 'day=04');
    const files = readdirSync(partition);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      /^creditline-local-audit-1-2026-03-04-05-06-07-[0-9a-f-]{36}\.json\.gz$/,
    );
    expect(gunzipSync(readFileSync(join(partition, files[0] ?? ''))).toString('utf8')).toBe(
      lines.join(''),
    );
  });
});
