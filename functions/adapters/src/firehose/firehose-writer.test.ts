import { FirehoseClient } from '@aws-sdk/client-firehose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startAwsJsonEndpoint,
  testClientConfig,
  type AwsJsonEndpoint,
  type CannedReply,
  type RecordedRequest,
} from '../testing/aws-json-endpoint.js';
import { createBatchingAuditSink, toAuditLine } from './batching-audit-sink.js';
import { createFirehoseWriter } from './firehose-writer.js';

interface SentRecord {
  readonly Data: string;
}
const recordsOf = (request: RecordedRequest | undefined): string[] =>
  ((request?.body['Records'] ?? []) as SentRecord[]).map((record) =>
    Buffer.from(record.Data, 'base64').toString('utf8'),
  );

/** Answers every record OK except those whose line contains a marker, `failures` times each. */
const firehoseReply =
  (failing: Map<string, number> = new Map()) =>
  (request: RecordedRequest): CannedReply => {
    const lines = recordsOf(request);
    const responses = lines.map((line, index) => {
      const marker = [...failing.keys()].find((key) => line.includes(key));
      const left = marker === undefined ? 0 : (failing.get(marker) ?? 0);
      if (marker !== undefined && left > 0) {
        failing.set(marker, left - 1);
        return { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' };
      }
      return { RecordId: `rec-${index}` };
    });
    return {
      body: {
        FailedPutCount: responses.filter((response) => 'ErrorCode' in response).length,
        Encrypted: false,
        RequestResponses: responses,
      },
    };
  };

describe('Firehose audit writer', () => {
  let server: AwsJsonEndpoint | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const writerFor = (endpoint: string) =>
    createFirehoseWriter(new FirehoseClient(testClientConfig(endpoint)), 'creditline-dev-audit', {
      sleep: () => Promise.resolve(),
    });

  it('sends PutRecordBatch to the delivery stream with newline-delimited JSON carrying the event id', async () => {
    // Prepare
    server = await startAwsJsonEndpoint(firehoseReply());
    const line = toAuditLine({ event_id: 'evt-1', transaction_id: 'tx-1', amount: 1250 });

    // Act
    const outcomes = await writerFor(server.endpoint).putRecords([line]);

    // Assess
    expect(outcomes).toEqual([{ ok: true }]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.target).toBe('Firehose_20150804.PutRecordBatch');
    expect(server.requests[0]?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(server.requests[0]?.body['DeliveryStreamName']).toBe('creditline-dev-audit');
    expect(recordsOf(server.requests[0])).toEqual([
      '{"event_id":"evt-1","transaction_id":"tx-1","amount":1250}\n',
    ]);
  });

  it('splits more than 500 records into calls of at most 500', async () => {
    // Prepare
    server = await startAwsJsonEndpoint(firehoseReply());
    const lines = Array.from({ length: 1201 }, (_, index) =>
      toAuditLine({ event_id: `evt-${index}` }),
    );

    // Act
    const outcomes = await writerFor(server.endpoint).putRecords(lines);

    // Assess
    expect(server.requests.map((request) => recordsOf(request).length)).toEqual([500, 500, 201]);
    expect(server.requests.flatMap(recordsOf)).toEqual(lines);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  });

  it('sends again exactly the records the stream refused, until they land', async () => {
    // Prepare
    server = await startAwsJsonEndpoint(firehoseReply(new Map([['evt-b', 2]])));
    const lines = ['evt-a', 'evt-b', 'evt-c'].map((id) => toAuditLine({ event_id: id }));

    // Act
    const outcomes = await writerFor(server.endpoint).putRecords(lines);

    // Assess
    expect(server.requests.map(recordsOf)).toEqual([lines, [lines[1]], [lines[1]]]);
    expect(outcomes).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
  });

  it('reports a record that keeps failing as failed, and only that one', async () => {
    // Prepare
    server = await startAwsJsonEndpoint(firehoseReply(new Map([['evt-b', 99]])));
    const lines = ['evt-a', 'evt-b'].map((id) => toAuditLine({ event_id: id }));

    // Act
    const outcomes = await writerFor(server.endpoint).putRecords(lines);

    // Assess
    expect(server.requests).toHaveLength(4);
    expect(outcomes).toEqual([
      { ok: true },
      { ok: false, errorCode: 'ServiceUnavailableException', errorMessage: 'Slow down.' },
    ]);
  });

  it('does not retry a call the service refuses for good', async () => {
    // Prepare
    server = await startAwsJsonEndpoint(() => ({
      errorType: 'ResourceNotFoundException',
      body: { message: 'Firehose creditline-dev-audit not found' },
    }));

    // Act
    const outcomes = await writerFor(server.endpoint).putRecords([
      toAuditLine({ event_id: 'evt-1' }),
    ]);

    // Assess
    expect(server.requests).toHaveLength(1);
    expect(outcomes).toEqual([
      {
        ok: false,
        errorCode: 'ResourceNotFoundException',
        errorMessage: 'Firehose creditline-dev-audit not found',
      },
    ]);
  });
});

describe('batching audit sink', () => {
  let server: AwsJsonEndpoint | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('gathers appends made together into one call and fails only the record that did not land', async () => {
    // Prepare
    server = await startAwsJsonEndpoint(firehoseReply(new Map([['evt-2', 99]])));
    const writer = createFirehoseWriter(
      new FirehoseClient(testClientConfig(server.endpoint)),
      'audit',
      { maxAttempts: 1 },
    );
    const sink = createBatchingAuditSink<{ event_id: string }>(writer, { lingerMs: 50 });

    // Act
    const results = await Promise.allSettled(
      ['evt-1', 'evt-2', 'evt-3'].map((id) => sink.append({ event_id: id })),
    );

    // Assess
    expect(server.requests).toHaveLength(1);
    expect(recordsOf(server.requests[0])).toHaveLength(3);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      retryable: true,
      code: 'ServiceUnavailableException',
    });
  });
});
