import { createServer, type Server } from 'node:http';

/**
 * One HTTP endpoint on 127.0.0.1 that speaks the AWS JSON protocol for the few operations
 * creditline's adapters call on services with no local server (EventBridge PutEvents, Firehose
 * PutRecordBatch, the SQS operations of consumers and operators, Secrets Manager
 * GetSecretValue). Functions run with `AWS_ENDPOINT_URL_<SERVICE>` pointing here, so the real
 * SDK clients and the real adapters run unchanged; the in-process bus, queues and audit files
 * stand behind it.
 */
/** The request as received, for an operation that verifies who signed it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type Operation = (
  input: Record<string, unknown>,
  request: ReceivedRequest,
) => Promise<unknown>;

/** An AWS error in the JSON protocol's shape (`__type`), with its HTTP status. */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const startAwsEndpoint = async (options: {
  port: number;
  /** X-Amz-Target → operation, e.g. `AWSEvents.PutEvents`, `AmazonSQS.ReceiveMessage`. */
  operations: Readonly<Record<string, Operation>>;
}): Promise<{ url: string; server: Server; stop(): Promise<void> }> => {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const header = request.headers['x-amz-target'];
        const target = typeof header === 'string' ? header : '';
        const contentType = request.headers['content-type'] ?? 'application/x-amz-json-1.1';
        const reply = (status: number, body: unknown) => {
          response.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(body));
        };
        const operation = options.operations[target];
        if (!operation) {
          reply(400, {
            __type: 'UnknownOperationException',
            message: `local endpoint does not implement ${target || '(no X-Amz-Target)'}`,
          });
          return;
        }
        try {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          const input = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(request.headers)) {
            if (value !== undefined)
              headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
          }
          const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
          reply(
            200,
            (await operation(input, { method: request.method ?? 'POST', url, headers, body })) ??
              {},
          );
        } catch (error) {
          if (error instanceof AwsServiceError) {
            reply(error.status, { __type: error.type, message: error.message });
          } else {
            reply(500, {
              __type: 'InternalFailure',
              message: error instanceof Error ? error.message : String(error),
            });
          }
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
