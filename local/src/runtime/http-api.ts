import { matchRoute, routeKey } from '@creditline/adapters/definitions';
import openApiDocument from '@creditline/api/openapi.json' with { type: 'json' };
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import {
  authenticateLocalRequest,
  type IamAuthorizerContext,
} from '../identity/local-principal.js';

export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway refuses bodies above 10 MB before any function sees them. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const readBody = (request: IncomingMessage): Promise<Buffer | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

/**
 * Builds the API Gateway HTTP API (payload 2.0) event for a request, as API Gateway would for
 * the matched route: routeKey, pathParameters, lower-cased headers, cookies, and the IAM
 * authorizer context of the verified caller (see local-principal.ts).
 */
export const toApiGatewayEvent = (options: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  route: string;
  pathParameters: Record<string, string>;
  sourceIp: string;
  now: Date;
  caller: IamAuthorizerContext;
}): APIGatewayProxyEventV2 => {
  const { method, url, headers, body, now } = options;
  const text = body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(body);
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    query[key] = key in query ? `${query[key] ?? ''},${value}` : value;
  });
  const event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } } = {
    version: '2.0',
    routeKey: options.route,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(options.pathParameters).length > 0
      ? { pathParameters: options.pathParameters }
      : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: url.hostname.split('.')[0] ?? 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: options.route,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { iam: options.caller },
    },
    isBase64Encoded: !isText,
    ...(body.length > 0 ? { body: isText ? text : body.toString('base64') } : {}),
  };
  return event;
};

/** The published contract (api/openapi.json), served unauthenticated as a partner's tools expect. */
export const OPENAPI_PATH = '/openapi.json';

/**
 * The HTTP API on 127.0.0.1: routes from the shared definitions, every one IAM-authorized as in
 * AWS. A request that is not signed with a local partner's credentials is refused 403 before
 * the function runs (API Gateway does the same); a request on no route gets API Gateway's own
 * 404 without invoking the function.
 */
export const startHttpApi = async (options: {
  port: number;
  handler: HttpApiHandler;
  clock?: () => Date;
}): Promise<{ url: string; server: Server; stop(): Promise<void> }> => {
  const clock = options.clock ?? (() => new Date());
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
      const method = request.method ?? 'GET';
      const matched = matchRoute(method, url.pathname);
      const body = await readBody(request);
      if (method === 'GET' && url.pathname === OPENAPI_PATH) {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(openApiDocument));
        return;
      }
      if (body === null) {
        response
          .writeHead(413, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Request Entity Too Large' }));
        return;
      }
      if (matched.route === null) {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined)
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
      }
      const authentication = await authenticateLocalRequest(
        { method, url, headers, body },
        clock(),
      );
      if (!authentication.ok) {
        response
          .writeHead(403, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: `Forbidden: ${authentication.reason}` }));
        return;
      }
      const event = toApiGatewayEvent({
        caller: authentication.iam,
        method,
        url,
        headers,
        body,
        route: routeKey(matched.route),
        pathParameters: matched.pathParameters,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        now: clock(),
      });
      try {
        const result = await options.handler(event);
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(result.headers ?? {}))
          responseHeaders[name] = String(value);
        response.writeHead(result.statusCode ?? 200, responseHeaders);
        response.end(
          result.body === undefined
            ? undefined
            : result.isBase64Encoded
              ? Buffer.from(result.body, 'base64')
              : result.body,
        );
      } catch {
        // API Gateway answers a failed invocation with a bare 500; the function's error never leaks.
        response
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Internal Server Error' }));
      }
    })();
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
