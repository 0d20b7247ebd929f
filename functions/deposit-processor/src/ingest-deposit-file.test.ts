import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import type { DepositRepository } from '@creditline/domain';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorsKey, summaryKey } from './output-keys.js';
import { startDepositStandIns, type DepositStandIns } from './test-support/deposit-stand-ins.js';

interface Deposit {
  readonly user: string;
  readonly cents: number;
  readonly id: string;
}

const HEADER = 'user_id,amount,deposit_id,timestamp\n';
const csvOf = (deposits: readonly Deposit[]): string =>
  HEADER +
  deposits
    .map((d) => `${d.user},${(d.cents / 100).toFixed(2)},${d.id},2026-01-15T09:00:00Z\n`)
    .join('');

/** `count` deposits over `users` users, amounts varied so a wrong sum cannot pass by chance. */
const depositsOf = (prefix: string, count: number, users: number): Deposit[] =>
  Array.from({ length: count }, (_, i) => ({
    user: `user-${i % users}`,
    cents: 100 + ((i * 7919) % 50_000),
    id: `${prefix}-${i}`,
  }));

const sumsByUser = (deposits: readonly Deposit[]): Record<string, number> => {
  const sums: Record<string, number> = {};
  for (const d of deposits) sums[d.user] = (sums[d.user] ?? 0) + d.cents;
  return sums;
};
const total = (deposits: readonly Deposit[]): number =>
  deposits.reduce((sum, d) => sum + d.cents, 0);

/** Throws in place of the books' write on its `n`th call: a crash between the ledger and the books. */
const crashOnCall =
  (n: number) =>
  (repository: DepositRepository): DepositRepository => {
    let calls = 0;
    return {
      record: (batch) => {
        calls += 1;
        return calls === n
          ? Promise.reject(new Error('process killed between DynamoDB and Aurora'))
          : repository.record(batch);
      },
    };
  };

describe('ingestDepositFile on DynamoDB Local, PostgreSQL and s3rver', () => {
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

  const ingested = async (
    outcome: Promise<Awaited<ReturnType<ReturnType<DepositStandIns['dependencies']>['ingest']>>>,
  ) => {
    const result = await outcome;
    if (result.status !== 'INGESTED') throw new Error(`not ingested: ${result.status}`);
    return result.summary;
  };

  it('credits every deposit in both stores, which agree user by user, and reports it in a summary and an event', async () => {
    // Prepare: 600 deposits over 40 users, a dozen batches written a few at a time
    const deposits = depositsOf('dep', 600, 40);
    const ref = await standIns.upload('2026-01-15.csv', csvOf(deposits), 'partner-a');

    // Act
    const summary = await ingested(standIns.dependencies().ingest(ref));

    // Assess: the stores
    const expected = sumsByUser(deposits);
    expect(await standIns.creditCache()).toEqual(expected);
    expect(await standIns.creditBalance()).toEqual(expected);
    const ids = await standIns.depositIds();
    expect(ids.dynamo).toHaveLength(600);
    expect(ids.aurora).toEqual(ids.dynamo);

    // Assess: the summary, as returned and as written
    expect(summary).toEqual({
      bucket: ref.bucket,
      key: 'inbox/partner-a/2026-01-15.csv',
      status: 'PROCESSED',
      rows: 600,
      accepted: 600,
      duplicates: 0,
      rejected: 0,
      credited_amount: total(deposits),
      duration_ms: 0,
      processed_at: '2026-01-15T12:00:00.000Z',
      source_upload: ref.upload,
      errors_key: null,
      extra_columns: [],
      duplicates_in_file: 0,
      already_credited: 0,
      resumed: 0,
      healed_in_books: 0,
      rejected_by_reason: {},
    });
    expect(
      JSON.parse(await standIns.readText('processed/partner-a/2026-01-15.csv.summary.json')),
    ).toEqual(summary);

    // Assess: one DepositFileProcessed event carrying the contract's fields
    expect(standIns.eventBridge.requests).toHaveLength(1);
    expect(standIns.eventBridge.requests[0]?.body).toEqual({
      Entries: [
        {
          EventBusName: 'creditline-test',
          Source: 'creditline.deposits',
          DetailType: 'DepositFileProcessed',
          Detail: JSON.stringify({
            bucket: ref.bucket,
            key: ref.key,
            status: 'PROCESSED',
            rows: 600,
            accepted: 600,
            duplicates: 0,
            rejected: 0,
            credited_amount: total(deposits),
            duration_ms: 0,
            processed_at: '2026-01-15T12:00:00.000Z',
          }),
          Time: 1768478400,
        },
      ],
    });
  });

  it('credits nothing when the same file is uploaded again, and its summary says all duplicates', async () => {
    // Prepare
    const deposits = depositsOf('dep', 150, 10);
    await standIns.dependencies().ingest(await standIns.upload('a.csv', csvOf(deposits)));
    const reupload = await standIns.upload('a.csv', csvOf(deposits));

    // Act
    const summary = await ingested(standIns.dependencies().ingest(reupload));

    // Assess
    expect(summary).toMatchObject({
      status: 'PROCESSED',
      rows: 150,
      accepted: 0,
      duplicates: 150,
      already_credited: 150,
      rejected: 0,
      credited_amount: 0,
    });
    expect(await standIns.creditCache()).toEqual(sumsByUser(deposits));
    expect(await standIns.creditBalance()).toEqual(sumsByUser(deposits));
    expect(standIns.publishedDetails().map((detail) => detail['accepted'])).toEqual([150, 0]);
  });

  it('credits a deposit_id shared by two files once, and refuses one that comes back with another amount', async () => {
    // Prepare: b.csv repeats 50 of a.csv's deposits, brings 30 new ones and changes the amount of one more
    const first = depositsOf('dep', 100, 10);
    const fresh = depositsOf('new', 30, 10);
    const changed = { ...first[99], cents: 1 } as Deposit;
    await standIns.dependencies().ingest(await standIns.upload('a.csv', csvOf(first)));
    const second = await standIns.upload(
      'b.csv',
      csvOf([...first.slice(0, 50), ...fresh, changed]),
    );

    // Act
    const summary = await ingested(standIns.dependencies().ingest(second));

    // Assess
    expect(summary).toMatchObject({
      rows: 81,
      accepted: 30,
      duplicates: 50,
      already_credited: 50,
      rejected: 1,
      credited_amount: total(fresh),
    });
    expect(summary.rejected_by_reason).toEqual({ CONFLICT_WITH_CREDITED: 1 });
    const expected = sumsByUser([...first, ...fresh]);
    expect(await standIns.creditCache()).toEqual(expected);
    expect(await standIns.creditBalance()).toEqual(expected);
    expect(await standIns.errorsFile(errorsKey(second.key))).toEqual([
      {
        line: 82,
        row: `${changed.user},0.01,dep-99,2026-01-15T09:00:00Z`,
        reason: 'CONFLICT_WITH_CREDITED',
        message: `line 82: deposit_id "dep-99" was already credited to user_id "${changed.user}", ${((first[99]?.cents ?? 0) / 100).toFixed(2)} (inbox/acme/a.csv line 101); this row says user_id "${changed.user}", 0.01, and was not credited`,
      },
    ]);
  });

  it('credits each deposit once when two files sharing deposit_ids are processed at the same time', async () => {
    // Prepare: two files with 300 deposits in common, each listed in another order
    const shared = depositsOf('shared', 300, 25);
    const a = await standIns.upload('a.csv', csvOf([...depositsOf('a', 100, 25), ...shared]));
    const b = await standIns.upload(
      'b.csv',
      csvOf([...[...shared].reverse(), ...depositsOf('b', 100, 25)]),
    );
    const deps = standIns.dependencies();

    // Act
    const [summaryA, summaryB] = await Promise.all([
      ingested(deps.ingest(a)),
      ingested(deps.ingest(b)),
    ]);

    // Assess
    expect(summaryA.accepted + summaryB.accepted).toBe(500);
    expect(summaryA.already_credited + summaryB.already_credited).toBe(300);
    const expected = sumsByUser([
      ...depositsOf('a', 100, 25),
      ...shared,
      ...depositsOf('b', 100, 25),
    ]);
    expect(await standIns.creditCache()).toEqual(expected);
    expect(await standIns.creditBalance()).toEqual(expected);
    expect(summaryA.credited_amount + summaryB.credited_amount).toBe(
      Object.values(expected).reduce((sum, cents) => sum + cents, 0),
    );
  });

  it('heals a crash between DynamoDB and Aurora when the event is retried: both stores end equal', async () => {
    // Prepare: the books' write of the third batch never happens; the attempt fails
    const deposits = depositsOf('dep', 500, 40);
    const ref = await standIns.upload('a.csv', csvOf(deposits));
    const crashed = standIns.dependencies({ wrapRepository: crashOnCall(3) }).ingest(ref);
    await expect(crashed).rejects.toThrow('process killed between DynamoDB and Aurora');
    const cacheAfterCrash = Object.values(await standIns.creditCache()).reduce(
      (sum, cents) => sum + cents,
      0,
    );
    const booksAfterCrash = Object.values(await standIns.creditBalance()).reduce(
      (sum, cents) => sum + cents,
      0,
    );
    expect(cacheAfterCrash).toBeGreaterThan(booksAfterCrash);

    // Act: S3 retries the same event
    const summary = await ingested(standIns.dependencies().ingest(ref));

    // Assess
    const expected = sumsByUser(deposits);
    expect(await standIns.creditCache()).toEqual(expected);
    expect(await standIns.creditBalance()).toEqual(expected);
    const ids = await standIns.depositIds();
    expect(ids.aurora).toEqual(ids.dynamo);
    expect(summary).toMatchObject({
      status: 'PROCESSED',
      accepted: 500,
      duplicates: 0,
      credited_amount: total(deposits),
    });
    expect(summary.resumed).toBeGreaterThan(0);
    expect(summary.healed_in_books).toBeGreaterThan(0);
  });

  it('reports the same figures when a finished event is delivered again, crediting nothing twice', async () => {
    // Prepare
    const deposits = depositsOf('dep', 120, 10);
    const ref = await standIns.upload('a.csv', csvOf(deposits));
    const first = await ingested(standIns.dependencies().ingest(ref));

    // Act
    const again = await ingested(standIns.dependencies().ingest(ref));

    // Assess
    expect(again).toEqual({ ...first, resumed: 120 });
    expect(await standIns.creditCache()).toEqual(sumsByUser(deposits));
    expect(await standIns.creditBalance()).toEqual(sumsByUser(deposits));
  });

  it('streams a large errors file, and removes it once a corrected upload of the file has nothing to refuse', async () => {
    // Prepare: 3,000 refused rows make an errors file of several pieces
    const bad =
      HEADER +
      Array.from(
        { length: 3000 },
        (_, i) => `user-${i},-1.00,bad-${i},2026-01-15T09:00:00Z\n`,
      ).join('');
    const first = await standIns.upload('a.csv', bad);
    const firstSummary = await ingested(standIns.dependencies().ingest(first));
    const written = await standIns.errorsFile(errorsKey(first.key));

    // Act
    const corrected = await standIns.upload('a.csv', csvOf(depositsOf('dep', 10, 3)));
    const secondSummary = await ingested(standIns.dependencies().ingest(corrected));

    // Assess
    expect(firstSummary).toMatchObject({
      rows: 3000,
      rejected: 3000,
      errors_key: 'rejected/acme/a.csv.errors.csv',
    });
    expect(written).toHaveLength(3000);
    expect(written[2999]).toMatchObject({
      line: 3001,
      reason: 'NON_POSITIVE_AMOUNT',
      row: 'user-2999,-1.00,bad-2999,2026-01-15T09:00:00Z',
    });
    expect(secondSummary).toMatchObject({ accepted: 10, errors_key: null });
    await expect(
      standIns.bucket.s3.send(
        new GetObjectCommand({ Bucket: standIns.bucket.bucket, Key: errorsKey(first.key) }),
      ),
    ).rejects.toBeInstanceOf(NoSuchKey);
    expect(JSON.parse(await standIns.readText(summaryKey(first.key)))).toMatchObject({
      accepted: 10,
    });
  });

  it('leaves an object replaced since its event to the newer upload, crediting nothing', async () => {
    // Prepare: the event is about a first upload; a second upload replaced the object since
    const stale = await standIns.upload('a.csv', csvOf(depositsOf('old', 10, 3)));
    await standIns.upload('a.csv', csvOf(depositsOf('new', 10, 3)));

    // Act
    const outcome = await standIns.dependencies().ingest(stale);

    // Assess
    expect(outcome).toEqual({ status: 'OBJECT_REPLACED' });
    expect(await standIns.creditCache()).toEqual({});
    expect(standIns.eventBridge.requests).toHaveLength(0);
  });

  it('does nothing for an object deleted since its event', async () => {
    // Act
    const outcome = await standIns.dependencies().ingest({
      bucket: standIns.bucket.bucket,
      key: 'inbox/acme/gone.csv',
      partner_id: 'acme',
      upload: '1',
    });

    // Assess
    expect(outcome).toEqual({ status: 'OBJECT_NOT_FOUND' });
    expect(standIns.eventBridge.requests).toHaveLength(0);
  });
});
