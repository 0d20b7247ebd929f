import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * SigV4 as AWS does it, for the local stage: the CLI signs its requests with a partner's local
 * credentials, and the local API and AWS endpoint verify them by signing the same canonical
 * request again with the secret the access key belongs to. Nothing a caller can simply set (no
 * header, no access key alone) names a partner: only a signature made with its secret does.
 */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const signer = (credentials: Credentials, region: string, service: string): SignatureV4 =>
  new SignatureV4({
    credentials,
    region,
    service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: true,
  });

const toHttpRequest = (request: SignableRequest, headers: Record<string, string>): HttpRequest => {
  const query: Record<string, string | string[]> = {};
  request.url.searchParams.forEach((value, key) => {
    const previous = query[key];
    query[key] =
      previous === undefined
        ? value
        : [...(Array.isArray(previous) ? previous : [previous]), value];
  });
  return new HttpRequest({
    method: request.method,
    protocol: request.url.protocol,
    hostname: request.url.hostname,
    ...(request.url.port ? { port: Number(request.url.port) } : {}),
    path: request.url.pathname,
    query,
    headers,
    body: request.body,
  });
};

/** The headers to send: the request's own plus `host`, `x-amz-date`, `x-amz-content-sha256` and `authorization`. */
export const signRequest = async (
  request: SignableRequest,
  credentials: Credentials,
  scope: { readonly region: string; readonly service: string },
  signingDate: Date = new Date(),
): Promise<Record<string, string>> => {
  const headers = { ...request.headers, host: request.url.host };
  const signed = await signer(credentials, scope.region, scope.service).sign(
    toHttpRequest(request, headers),
    { signingDate },
  );
  return signed.headers;
};

export type Verification =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly reason: string };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** API Gateway and the AWS endpoints refuse a signature more than 5 minutes off. */
const MAX_SKEW_MS = 5 * 60 * 1000;

const parseAmzDate = (text: string): Date | undefined => {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
};

/**
 * Verifies a signed request: the access key must be known, the scope must be this region and
 * service, the time within 5 minutes, and the signature over exactly the headers it says it
 * signed must be the one the secret produces. The headers a caller did not sign play no part.
 */
export const verifyRequest = async (
  request: SignableRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  scope: { readonly region: string; readonly service: string },
  now: Date = new Date(),
): Promise<Verification> => {
  const authorization = request.headers['authorization'];
  if (authorization === undefined) return { ok: false, reason: 'the request is not signed' };
  const match = AUTHORIZATION.exec(authorization);
  if (!match) return { ok: false, reason: 'the Authorization header is not a SigV4 signature' };
  const [, accessKeyId, day, region, service, signedHeaderList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const secretAccessKey = secretOf(accessKeyId);
  if (secretAccessKey === undefined) return { ok: false, reason: 'the access key is not known' };
  if (region !== scope.region || service !== scope.service)
    return { ok: false, reason: `the credential scope must be ${scope.region}/${scope.service}` };
  const amzDate = parseAmzDate(request.headers['x-amz-date'] ?? '');
  if (amzDate === undefined || !request.headers['x-amz-date']?.startsWith(day))
    return { ok: false, reason: 'x-amz-date is missing or disagrees with the credential scope' };
  if (Math.abs(now.getTime() - amzDate.getTime()) > MAX_SKEW_MS)
    return { ok: false, reason: 'the signature is more than 5 minutes old or early' };
  // The signature covers the payload's hash as the header states it: the body must have that hash.
  const payloadHash = request.headers['x-amz-content-sha256'];
  if (
    payloadHash !== undefined &&
    payloadHash !== createHash('sha256').update(request.body).digest('hex')
  ) {
    return { ok: false, reason: 'the body does not match x-amz-content-sha256' };
  }
  const signedNames = signedHeaderList.split(';');
  if (!signedNames.includes('host'))
    return { ok: false, reason: 'the signature must cover the host header' };
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    const value = request.headers[name];
    if (value === undefined) return { ok: false, reason: `signed header ${name} is missing` };
    headers[name] = value;
  }
  const expected = await signer({ accessKeyId, secretAccessKey }, region, service).sign(
    toHttpRequest(request, headers),
    { signingDate: amzDate },
  );
  const expectedSignature =
    /Signature=([0-9a-f]{64})$/.exec(expected.headers['authorization'] ?? '')?.[1] ?? '';
  const same =
    expectedSignature.length === signature.length &&
    timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(signature));
  return same ? { ok: true, accessKeyId } : { ok: false, reason: 'the signature does not match' };
};
