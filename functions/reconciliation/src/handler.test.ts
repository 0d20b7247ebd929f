import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  startAwsJsonEndpoint,
  type AwsJsonEndpoint,
  type RecordedRequest,
} from '@creditline/adapters/testing/aws-json-endpoint';
import { localRegion } from '@creditline/stand-ins';
import {
  createTestBucket,
  createTestDatabase,
  createTestDynamo,
  type TestBucket,
  type TestDatabase,
  type TestDynamo,
} from '@creditline/stand-ins/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import manualRepairEvent from './fixtures/manual-repair-event.json' with { type: 'json' };
import scheduledEvent from './fixtures/scheduled-event.json' with { type: 'json' };
import { plantBooks } from './test-support/planted-books.js';

type Handler = (typeof import('./handler.js'))['handler'];
type Emf = Record<string, unknown> & {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
  };
};

/**
 * The deployed handler module, cold-started from its environment against the stand-ins:
 * DynamoDB Local, PostgreSQL (DATABASE_URL) and s3rver, and a recording endpoint for the two
 * services with no local server (EventBridge PutEvents, the callbacks DLQ on SQS).
 */
describe('reconciliation handler (Scheduler event → report, metrics, repairs)', () => {
  let dynamo: TestDynamo;
  let db: TestDatabase;
  let bucket: TestBucket;
  let aws: AwsJsonEndpoint;
  let handler: Handler;
  // The SQS client sends to the queue URL's host, so the DLQ lives on the recording endpoint.
  let dlqUrl: string;
  const emitted: Emf[] = [];
  // Every invocation has its own request id, which names its run.
  const context = { awsRequestId: '6f1c2a9e-0000-4000-8000-000000000000' };
  const repairContext = { awsRequestId: '0b7d3c55-0000-4000-8000-000000000000' };

  const reply = (request: RecordedRequest) => {
    switch (request.target) {
      case 'AWSEvents.PutEvents': {
        const entries = request.body.Entries as unknown[];
        return {
          body: {
            FailedEntryCount: 0,
            Entries: entries.map((_, index) => ({ EventId: `event-${index}` })),
          },
        };
      }
      case 'AmazonSQS.ReceiveMessage':
        return { body: { Messages: [] } };
      default:
        return { body: {}, errorType: 'UnknownOperationException' };
    }
  };

  beforeAll(async () => {
    [dynamo, db, bucket] = await Promise.all([
      createTestDynamo(),
      createTestDatabase(),
      createTestBucket(),
    ]);
    aws = await startAwsJsonEndpoint(reply);
    dlqUrl = `${aws.endpoint}/111122223333/creditline-test-callbacks-dlq`;
    const env = {
      CREDITLINE_STAGE: 'local',
      TABLE_CREDIT_CACHE: dynamo.tables.creditCache,
      TABLE_DEPOSIT_EVENTS: dynamo.tables.depositEvents,
      TABLE_TRANSACTION_LOG: dynamo.tables.transactionLog,
      DATABASE_URL: db.url,
      REPORTS_BUCKET: bucket.bucket,
      EVENT_BUS_NAME: 'creditline-test',
      CALLBACKS_DLQ_URL: dlqUrl,
      AWS_REGION: localRegion,
      // s3rver accepts only its own key; DynamoDB Local (sharedDb) and the recording endpoint accept any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: bucket.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: aws.endpoint,
      AWS_ENDPOINT_URL_SQS: aws.endpoint,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // Powertools writes EMF to its own stdout console unless in dev mode, where it uses the global one.
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_METRICS_DISABLED: 'false',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const log = console.log.bind(console);
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      const [first] = args;
      if (typeof first === 'string' && first.startsWith('{"_aws"'))
        emitted.push(JSON.parse(first) as Emf);
      else log(...args);
    });
    ({ handler } = await import('./handler.js'));

    const books = plantBooks(dynamo, db);
    await books.user('u1');
    await books.deposit('u1', 'd1', 1_000);
    await books.shiftCache('u1', -1);
    await books.user('u2');
    await books.deposit('u2', 'd2', 500);
    await books.pendingDecision('u2', 't1', 200, '2020-01-01T00:00:00.000Z');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    await aws.close();
    await db.drop();
  });
  beforeEach(() => {
    emitted.length = 0;
    aws.requests.length = 0;
  });

  const readObject = async (key: string): Promise<string> => {
    const { Body } = await bucket.s3.send(
      new GetObjectCommand({ Bucket: bucket.bucket, Key: key }),
    );
    return (await Body?.transformToString('utf-8')) ?? '';
  };

  it('reports on the scheduled event without repairing, and emits the run figures as metrics', async () => {
    // Prepare: the Scheduler's input as infra configures it

    // Act
    const result = await handler(scheduledEvent, context);

    // Assess
    expect(result).toEqual({
      run_id: expect.stringMatching(/^\d{8}T\d{6}Z-6f1c2a9e$/) as string,
      summary_key: expect.stringMatching(
        /^reports\/reconciliation\/\d{4}-\d\d-\d\d\/\d{8}T\d{6}Z-6f1c2a9e\.summary\.json$/,
      ) as string,
      users_checked: 2,
      drifted_users: 1,
      drift_amount: 1,
      differences: 2,
      repaired: 0,
    });
    const summary = JSON.parse(await readObject(result.summary_key)) as Record<string, unknown>;
    expect(summary).toMatchObject({
      run_id: result.run_id,
      repair_requested: false,
      segments: 8,
      unsettled_threshold_ms: 900_000,
    });
    expect(aws.requests.map((request) => request.target)).toEqual(['AmazonSQS.ReceiveMessage']);
    expect(aws.requests[0]?.body).toMatchObject({ QueueUrl: dlqUrl });

    const figures = Object.fromEntries(
      emitted.flatMap((document) =>
        document._aws.CloudWatchMetrics.flatMap((metric) =>
          metric.Metrics.map(({ Name }) => [Name, document[Name]]),
        ),
      ),
    );
    expect(figures).toEqual({
      UsersChecked: 2,
      DriftedUsers: 1,
      DriftAmount: 1,
      UnsettledDecisions: 1,
      DeadLetteredCallbacks: 0,
      Repairs: 0,
    });
    expect(
      emitted.every((document) =>
        document._aws.CloudWatchMetrics.every((metric) => metric.Namespace === 'creditline'),
      ),
    ).toBe(true);
    expect(emitted[0]).toMatchObject({ service: 'reconciliation' });
  });

  it('repairs on a manual invoke: the stuck decision goes to the bus, the cache item is rebuilt', async () => {
    // Prepare: the operator's input, with its overrides

    // Act
    const result = await handler(manualRepairEvent, repairContext);

    // Assess
    expect(result).toMatchObject({ drifted_users: 1, repaired: 2 });
    const putEvents = aws.requests.filter((request) => request.target === 'AWSEvents.PutEvents');
    expect(putEvents.map((request) => request.body)).toEqual([
      {
        Entries: [
          {
            EventBusName: 'creditline-test',
            Source: 'creditline.authorization',
            DetailType: 'TransactionDecided',
            Detail: JSON.stringify({
              transaction_id: 't1',
              user_id: 'u2',
              amount: 200,
              currency: 'USD',
              status: 'PERMITTED',
              reason: null,
              remaining_credit: 0,
              decided_at: '2020-01-01T00:00:00.000Z',
              partner_id: 'partner-a',
            }),
          },
        ],
      },
    ]);
    const summary = JSON.parse(await readObject(result.summary_key)) as Record<string, unknown>;
    expect(summary).toMatchObject({
      repair_requested: true,
      segments: 4,
      repairs: { repaired: 2, skipped: 0, failed: 0 },
    });
    const { rows } = await db.sql.query(
      'SELECT repaired FROM reconciliation_runs WHERE run_id = :run_id',
      { run_id: result.run_id },
    );
    expect(rows).toEqual([{ repaired: 2 }]);
    expect(emitted.some((document) => document.Repairs === 2)).toBe(true);
  });

  it.each([
    [{ repair: 'yes' }, /repair/],
    [{ repair: false, extra: 1 }, /extra/],
    [{ segments: 0 }, /segments/],
  ])('refuses a bad input %j with a clear error, and does nothing', async (event, named) => {
    // Prepare
    const { rows: before } = await db.sql.query('SELECT count(*) AS runs FROM reconciliation_runs');

    // Act
    const invoking = handler(event, context);

    // Assess
    await expect(invoking).rejects.toThrow(/^reconciliation input refused/);
    await expect(invoking).rejects.toThrow(named);
    const { rows: after } = await db.sql.query('SELECT count(*) AS runs FROM reconciliation_runs');
    expect(after).toEqual(before);
    expect(aws.requests).toEqual([]);
  });
});
