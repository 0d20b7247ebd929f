import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test helper for AWS services with no local server (Firehose, SQS, Secrets Manager): an HTTP
 * endpoint on 127.0.0.1 that records the real SDK's requests (AWS JSON protocol: the operation
 * in `x-amz-target`, the input as JSON) and answers with canned replies in the service's
 * documented shapes.
 */
export interface RecordedRequest {
  /** The operation, e.g. `Firehose_20150804.PutRecordBatch` or `AmazonSQS.ReceiveMessage`. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

export interface CannedReply {
  readonly status?: number;
  readonly body: unknown;
  /** For errors: the exception name the SDK maps to an error class. */
  readonly errorType?: string;
}

export interface AwsJsonEndpoint {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Client settings for the SDK against the endpoint. */
export const testClientConfig = (endpoint: string) =>
  ({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  }) as const;

export const startAwsJsonEndpoint = async (
  reply: (request: RecordedRequest) => CannedReply,
): Promise<AwsJsonEndpoint> => {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        target: String(request.headers['x-amz-target'] ?? ''),
        headers: request.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      requests.push(recorded);
      const answer = reply(recorded);
      const status = answer.status ?? (answer.errorType ? 400 : 200);
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}),
      });
      response.end(
        JSON.stringify(
          answer.errorType ? { __type: answer.errorType, ...(answer.body as object) } : answer.body,
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
