import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from './create-handler.js';
import fixture from './fixtures/s3-object-created.json' with { type: 'json' };
import {
  fixture as depositFile,
  startDepositStandIns,
  type DepositStandIns,
} from './test-support/deposit-stand-ins.js';

type S3EventRecord = (typeof fixture.Records)[number];

/**
 * The fixture as S3 sends it, addressed to the test's bucket. Its first record's eTag is the MD5
 * of fixtures/deposits/valid.csv, as S3 reports it for that upload; `eTag` replaces it when the
 * test uploads another file under that key.
 */
const eventFor = (bucket: string, eTag?: string) => ({
  Records: fixture.Records.map((record, index) => ({
    ...record,
    s3: {
      ...record.s3,
      bucket: { ...record.s3.bucket, name: bucket },
      object: { ...record.s3.object, ...(index === 0 && eTag !== undefined ? { eTag } : {}) },
    },
  })),
});

describe('DepositProcessor handler', () => {
  let standIns: DepositStandIns;
  beforeAll(() => {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  });
  beforeEach(async () => {
    standIns = await startDepositStandIns();
  });
  afterEach(async () => {
    await standIns.close();
  });

  it('ingests the inbox object an S3 event names by its URL-encoded key, and ignores the others', async () => {
    // Prepare: the object as the partner named it; the event carries the key URL-encoded
    const key = 'inbox/acme/2026-01-15 deposits (run 1).csv';
    await standIns.upload(key.slice('inbox/acme/'.length), depositFile('valid.csv'));
    const handler = createHandler(standIns.dependencies());

    // Act
    const outcomes = await handler(eventFor(standIns.bucket.bucket));

    // Assess
    expect(outcomes).toEqual([
      expect.objectContaining({
        status: 'INGESTED',
        summary: expect.objectContaining({
          key,
          source_upload: '0065A50E3C4A1B2F70',
          accepted: 5,
        }) as unknown,
      }),
    ]);
    expect(
      JSON.parse(
        await standIns.readText('processed/acme/2026-01-15 deposits (run 1).csv.summary.json'),
      ),
    ).toMatchObject({
      key,
      status: 'PROCESSED',
      accepted: 5,
      credited_amount: 133_265,
    });
    expect(await standIns.creditCache()).toEqual({
      'user-1': 10_005,
      'user-2': 3_260,
      'user-3': 120_000,
    });
  });

  it('records the figures of each file as metrics', async () => {
    // Prepare
    const { etag } = await standIns.upload(
      '2026-01-15 deposits (run 1).csv',
      depositFile('amounts.csv'),
    );
    const metrics = new Metrics({ namespace: 'creditline-test', serviceName: 'deposit-processor' });
    const published = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    const handler = createHandler(standIns.dependencies({}, metrics));

    // Act
    await handler(eventFor(standIns.bucket.bucket, etag));

    // Assess
    const emitted = metrics.serializeMetrics();
    const values = Object.fromEntries(
      Object.entries(emitted).filter(([name]) => name.startsWith('Deposit')),
    );
    expect(values).toEqual({
      DepositRows: 11,
      DepositsAccepted: 1,
      DepositDuplicates: 0,
      DepositRowsRejected: 10,
      DepositCreditedCents: 1_230,
      DepositFileDuration: 0,
    });
    expect(published).toHaveBeenCalledOnce();
  });

  it('fails the invocation, so S3 retries it, when a file fails, after trying every file', async () => {
    // Prepare: the second record names a second inbox file; the ledger refuses the first
    await standIns.upload('2026-01-15 deposits (run 1).csv', depositFile('valid.csv'));
    const { etag } = await standIns.upload('second.csv', depositFile('crlf.csv'));
    const [first, second] = eventFor(standIns.bucket.bucket).Records as [
      S3EventRecord,
      S3EventRecord,
    ];
    const both = {
      Records: [
        first,
        {
          ...second,
          s3: {
            ...second.s3,
            object: { ...second.s3.object, key: 'inbox/acme/second.csv', eTag: etag },
          },
        },
      ],
    };
    const deps = standIns.dependencies({
      wrapLedger: (ledger) => ({
        maxBatchItems: ledger.maxBatchItems,
        record: (batch) =>
          batch.deposits[0]?.source_key === 'inbox/acme/second.csv'
            ? ledger.record(batch)
            : Promise.reject(new Error('ledger down')),
      }),
    });

    // Act
    const outcome = createHandler(deps)(both);

    // Assess
    await expect(outcome).rejects.toThrow('1 of 2 deposit file(s) failed');
    expect(
      JSON.parse(await standIns.readText('processed/acme/second.csv.summary.json')),
    ).toMatchObject({
      accepted: 3,
    });
  });

  it('refuses an event that is not an S3 notification with a clear error', async () => {
    const outcome = createHandler(standIns.dependencies())({
      Records: [{ eventSource: 'aws:sqs', body: '{}' }],
    });
    await expect(outcome).rejects.toThrow(/eventSource/);
  });
});
