import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3ObjectWriter } from '@creditline/adapters/s3/s3-object-writer';
import type { Difference, ObjectWriter } from '@creditline/domain';
import { createTestBucket, type TestBucket } from '@creditline/stand-ins/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createReportWriter } from './report-writer.js';

const run = { run_id: '20261125T030000Z-abcd1234', started_at: '2026-11-25T03:00:00.000Z' };

const difference = (index: number): Difference => ({
  kind: 'CACHE_MISMATCH',
  user_id: `u${String(index).padStart(5, '0')}`,
  expected: 1_000 + index,
  actual: 1_000,
  delta: -index,
  message: `CreditCache.available 10.00, but credit_balance "${index}", says so`,
});

describe('report writer (s3rver)', () => {
  let bucket: TestBucket;
  let objects: ObjectWriter;

  beforeEach(async () => {
    bucket = await createTestBucket();
    objects = createS3ObjectWriter(bucket.s3);
  });

  const read = async (key: string) => {
    const { Body, ContentType } = await bucket.s3.send(
      new GetObjectCommand({ Bucket: bucket.bucket, Key: key }),
    );
    return { text: (await Body?.transformToString('utf-8')) ?? '', contentType: ContentType };
  };
  const keys = async () =>
    (
      (await bucket.s3.send(new ListObjectsV2Command({ Bucket: bucket.bucket }))).Contents ?? []
    ).map((object) => object.Key);

  it('streams a CSV of many differences under the run date, quoting what needs quoting', async () => {
    // Prepare
    const differences = Array.from({ length: 5_001 }, (_, index) => difference(index));
    const writer = createReportWriter(objects, bucket.bucket);

    // Act
    const key = await writer.writeDifferences(run, differences);

    // Assess
    expect(key).toBe('reports/reconciliation/2026-11-25/20261125T030000Z-abcd1234.differences.csv');
    const { text, contentType } = await read(key);
    expect(contentType).toBe('text/csv; charset=utf-8');
    const lines = text.split('\r\n');
    expect(lines).toHaveLength(1 + 5_001 + 1);
    expect(lines[0]).toBe(
      'kind,user_id,deposit_id,transaction_id,expected_cents,actual_cents,delta_cents,message',
    );
    expect(lines[1 + 4_321]).toBe(
      'CACHE_MISMATCH,u04321,,,5321,1000,-4321,"CreditCache.available 10.00, but credit_balance ""4321"", says so"',
    );
    expect(lines.at(-1)).toBe('');
  });

  it('neutralises partner ids that a spreadsheet would run as formulas; numbers stay numbers', async () => {
    // Prepare: user and deposit ids come from partners' files
    const writer = createReportWriter(objects, bucket.bucket);
    const planted: Difference[] = [
      { ...difference(1), user_id: '=HYPERLINK("https://evil.test")', delta: -500 },
      { ...difference(2), kind: 'DEPOSIT_MISSING_IN_AURORA', user_id: '@u', deposit_id: '+dep', message: '-x' },
    ];

    // Act
    const { text } = await read(await writer.writeDifferences(run, planted));

    // Assess
    expect(text.split('\r\n').slice(1, 3)).toEqual([
      `CACHE_MISMATCH,"'=HYPERLINK(""https://evil.test"")",,,1001,1000,-500,"CreditCache.available 10.00, but credit_balance ""1"", says so"`,
      `DEPOSIT_MISSING_IN_AURORA,'@u,'+dep,,1002,1000,-2,'-x`,
    ]);
  });

  it('writes a report with no differences as the header alone, and the summary as JSON', async () => {
    // Prepare
    const writer = createReportWriter(objects, bucket.bucket);

    // Act
    const csvKey = await writer.writeDifferences(run, []);
    const summaryKey = await writer.writeSummary({
      ...run,
      checked_at: '2026-11-25T03:00:09.000Z',
      repair_requested: false,
      unsettled_threshold_ms: 900_000,
      segments: 8,
      users_checked: 20_000,
      deposits_checked: 500_000,
      drifted_users: 0,
      drift_amount: 0,
      unsettled_decisions: 0,
      dead_lettered_callbacks: 0,
      differences: 0,
      differences_by_kind: {
        BALANCE_MISMATCH: 0,
        CACHE_MISMATCH: 0,
        CACHE_WITHOUT_ACCOUNT: 0,
        ACCOUNT_FIGURES_BROKEN: 0,
        CREDITED_MISMATCH: 0,
        POSTED_MISMATCH: 0,
        PENDING_MISMATCH: 0,
        DEPOSIT_MISSING_IN_AURORA: 0,
        DEPOSIT_MISSING_IN_DYNAMODB: 0,
        DEPOSIT_AMOUNT_MISMATCH: 0,
        UNSETTLED_DECISION: 0,
        UNSETTLED_OPERATION: 0,
        CALLBACK_DEAD_LETTERED: 0,
      },
      differences_key: csvKey,
    });

    // Assess
    expect((await read(csvKey)).text).toBe(
      'kind,user_id,deposit_id,transaction_id,expected_cents,actual_cents,delta_cents,message\r\n',
    );
    const summary = await read(summaryKey);
    expect(summaryKey).toBe(
      'reports/reconciliation/2026-11-25/20261125T030000Z-abcd1234.summary.json',
    );
    expect(summary.contentType).toBe('application/json');
    expect(JSON.parse(summary.text)).toMatchObject({
      users_checked: 20_000,
      differences_key: csvKey,
    });
  });

  it('discards a CSV that fails half-way rather than leave part of it', async () => {
    // Prepare: the store refuses the second piece
    let pieces = 0;
    const failing: ObjectWriter = {
      ...objects,
      open: (location, contentType) => {
        const upload = objects.open(location, contentType);
        return {
          ...upload,
          write: async (text) => {
            pieces += 1;
            if (pieces === 2) throw new Error('connection reset');
            await upload.write(text);
          },
        };
      },
    };
    const writer = createReportWriter(failing, bucket.bucket);

    // Act
    const writing = writer.writeDifferences(
      run,
      Array.from({ length: 5_000 }, (_, index) => difference(index)),
    );

    // Assess
    await expect(writing).rejects.toThrow('connection reset');
    expect(await keys()).toEqual([]);
  });
});
