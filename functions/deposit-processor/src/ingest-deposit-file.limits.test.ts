import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorsKey, summaryKey } from './output-keys.js';
import { startDepositStandIns, type DepositStandIns } from './test-support/deposit-stand-ins.js';

const header = 'user_id,amount,deposit_id,timestamp\n';
const row = (i: number): string =>
  `user-${i % 7},1.00,dep-${String(i).padStart(6, '0')},2026-01-15T09:00:00Z\n`;

describe('ingestDepositFile: what an operator opens, and what cannot finish', () => {
  let standIns: DepositStandIns;
  beforeEach(async () => {
    standIns = await startDepositStandIns();
  });
  afterEach(async () => {
    await standIns.close();
  });

  it('neutralises partner text that a spreadsheet would run as a formula, in the errors file', async () => {
    // Prepare: refused rows (bad amounts) whose raw text starts with =, +, -, @, a tab; one fine row.
    const file =
      header +
      '=HYPERLINK("https://evil.test","x"),one,dep-1,2026-01-15T09:00:00Z\n' +
      '+cmd|calc,two,dep-2,2026-01-15T09:00:00Z\n' +
      '-2+3,three,dep-3,2026-01-15T09:00:00Z\n' +
      '@SUM(A1),four,dep-4,2026-01-15T09:00:00Z\n' +
      '\tuser,five,dep-5,2026-01-15T09:00:00Z\n' +
      'user-ok,6.00,dep-6,2026-01-15T09:00:00Z\n';
    const ref = await standIns.upload('formulas.csv', file);

    // Act
    const outcome = await standIns.dependencies().ingest(ref);

    // Assess: every refused row is kept, each starts with ' in its cell; nothing else changed
    expect(outcome).toMatchObject({
      status: 'INGESTED',
      summary: { rows: 6, accepted: 1, rejected: 5 },
    });
    const rows = (await standIns.errorsFile(errorsKey(ref.key))).map((entry) => entry.row);
    expect(rows).toEqual([
      `'=HYPERLINK("https://evil.test","x"),one,dep-1,2026-01-15T09:00:00Z`,
      `'+cmd|calc,two,dep-2,2026-01-15T09:00:00Z`,
      `'-2+3,three,dep-3,2026-01-15T09:00:00Z`,
      `'@SUM(A1),four,dep-4,2026-01-15T09:00:00Z`,
      `'\tuser,five,dep-5,2026-01-15T09:00:00Z`,
    ]);
    const text = await standIns.readText(errorsKey(ref.key));
    for (const line of text.split('\n').slice(1, -1)) expect(line).toMatch(/^\d+,"?'/);
  });

  it('refuses a file over the size cap whole and at once, saying how to split it; a retry does the same', async () => {
    // Prepare: a file just over a 4 KiB cap
    let body = header;
    for (let i = 0; body.length <= 4096; i++) body += row(i);
    const ref = await standIns.upload('big.csv', body);
    const deps = standIns.dependencies({ settings: { maxFileBytes: 4096 } });

    // Act: the event, then its retry
    const first = await deps.ingest(ref);
    const retry = await deps.ingest(ref);

    // Assess: nothing credited, the same clear summary each time, published
    for (const outcome of [first, retry]) {
      expect(outcome).toMatchObject({
        status: 'INGESTED',
        summary: {
          status: 'TOO_LARGE',
          rows: 0,
          accepted: 0,
          credited_amount: 0,
          errors_key: null,
        },
      });
      if (outcome.status !== 'INGESTED') throw new Error('not ingested');
      expect(outcome.summary.message).toMatch(
        new RegExp(
          `^the file is 0\\.0 MiB \\(${Buffer.byteLength(body)} bytes\\); files of at most 0\\.0 MiB are processed.*Nothing in it was credited: split it`,
        ),
      );
    }
    expect(await standIns.creditCache()).toEqual({});
    expect((await standIns.depositIds()).aurora).toEqual([]);
    expect(JSON.parse(await standIns.readText(summaryKey(ref.key)))).toMatchObject({
      status: 'TOO_LARGE',
    });
    expect(standIns.publishedDetails()).toEqual([
      expect.objectContaining({ status: 'TOO_LARGE' }),
      expect.objectContaining({ status: 'TOO_LARGE' }),
    ]);

    // The same file under the cap is processed.
    const fits = await standIns
      .dependencies({ settings: { maxFileBytes: 1024 * 1024 } })
      .ingest(ref);
    expect(fits).toMatchObject({ summary: { status: 'PROCESSED', rejected: 0 } });
  });
});
