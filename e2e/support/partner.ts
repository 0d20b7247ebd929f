import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localRegion } from '@creditline/stand-ins';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DEFAULT_LOCAL_PARTNER,
  LOCAL_REGION,
  localPartner,
} from '../../local/src/identity/local-partners.js';
import { signRequest } from '../../local/src/identity/sigv4.js';
import { localNames, type RuntimeInfo } from '../../local/src/runtime/settings.js';
import { assertResponseConforms } from './contract.js';
import { waitFor } from './wait-for.js';

/**
 * A banking partner talking to the started runtime the way it talks to AWS: the S3 and
 * EventBridge SDKs pointed at the local endpoints, and plain HTTP to the API (as the demo
 * partner's account, which API Gateway's IAM authorizer would name).
 */
export const s3ClientFor = (info: RuntimeInfo): S3Client =>
  new S3Client({
    endpoint: info.s3Endpoint,
    region: localRegion,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    // s3rver does not understand the SDK's default streaming checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

export const uploadDepositFile = async (
  info: RuntimeInfo,
  key: string,
  body: string,
): Promise<void> => {
  const s3 = s3ClientFor(info);
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: localNames.depositsBucket,
        Key: key,
        Body: body,
        ContentType: 'text/csv',
      }),
    );
  } finally {
    s3.destroy();
  }
};

/** The text of an object in the deposits bucket, or undefined while it does not exist. */
export const readDepositObject = async (
  info: RuntimeInfo,
  key: string,
): Promise<string | undefined> => {
  const s3 = s3ClientFor(info);
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: localNames.depositsBucket, Key: key }),
    );
    return await object.Body?.transformToString('utf8');
  } catch (error) {
    if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound'))
      return undefined;
    throw error;
  } finally {
    s3.destroy();
  }
};

/** The DepositProcessor's `processed/<name>.summary.json` for `inbox/<name>`, once written; `accept` picks the one awaited. */
export const waitForSummary = async (
  info: RuntimeInfo,
  inboxKey: string,
  accept: (summary: Record<string, unknown>) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> => {
  const summaryKey = `processed/${inboxKey.replace(/^inbox\//, '')}.summary.json`;
  return waitFor(
    summaryKey,
    async () => {
      const text = await readDepositObject(info, summaryKey);
      if (text === undefined) return undefined;
      const summary = JSON.parse(text) as Record<string, unknown>;
      return accept(summary) ? summary : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
};

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * A request as a partner sends it: SigV4-signed with its local credentials (`unsigned` sends it
 * bare). Every answer is held to the published contract before a scenario sees it.
 */
export const call = async (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  as: { partner?: string; unsigned?: boolean } = {},
): Promise<ApiAnswer> => {
  const method = init.method ?? 'GET';
  const headers = as.unsigned
    ? (init.headers ?? {})
    : await signRequest(
        { method, url: new URL(url), headers: init.headers ?? {}, body: init.body ?? '' },
        localPartner(as.partner ?? DEFAULT_LOCAL_PARTNER),
        { region: LOCAL_REGION, service: 'execute-api' },
      );
  const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'host'));
  const response = await fetch(url, {
    method,
    headers: sent,
    ...(init.body !== undefined ? { body: init.body } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  assertResponseConforms({
    method,
    path: new URL(url).pathname,
    status: response.status,
    contentType: response.headers.get('content-type'),
    body,
  });
  return { status: response.status, body };
};

export const authorize = (
  info: RuntimeInfo,
  request: Record<string, unknown>,
  as: { partner?: string; unsigned?: boolean } = {},
): Promise<ApiAnswer> =>
  call(
    `${info.apiUrl}/v1/transactions`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    },
    as,
  );

export const balanceOf = (
  info: RuntimeInfo,
  userId: string,
  as: { partner?: string } = {},
): Promise<ApiAnswer> =>
  call(`${info.apiUrl}/v1/users/${encodeURIComponent(userId)}/balance`, {}, as);

export const transactionOf = (
  info: RuntimeInfo,
  transactionId: string,
  as: { partner?: string } = {},
): Promise<ApiAnswer> =>
  call(`${info.apiUrl}/v1/transactions/${encodeURIComponent(transactionId)}`, {}, as);

export const deliveriesOf = (
  info: RuntimeInfo,
  transactionId: string,
  as: { partner?: string } = {},
): Promise<ApiAnswer> =>
  call(`${info.apiUrl}/v1/transactions/${encodeURIComponent(transactionId)}/deliveries`, {}, as);

/** Publishes TransactionRequested events as a partner would: PutEvents with the real SDK, signed with its credentials. */
export const publishTransactionRequested = async (
  info: RuntimeInfo,
  details: readonly Record<string, unknown>[],
  partnerId: string = DEFAULT_LOCAL_PARTNER,
  /** The source put under: the partner's own unless a test forges another's. */
  source = `partner.${partnerId}`,
) => {
  const partner = localPartner(partnerId);
  const eventBridge = new EventBridgeClient({
    endpoint: info.awsEndpoint,
    region: localRegion,
    credentials: { accessKeyId: partner.accessKeyId, secretAccessKey: partner.secretAccessKey },
  });
  try {
    return await eventBridge.send(
      new PutEventsCommand({
        Entries: details.map((detail) => ({
          EventBusName: localNames.eventBus,
          Source: source,
          DetailType: 'TransactionRequested',
          Detail: JSON.stringify(detail),
        })),
      }),
    );
  } finally {
    eventBridge.destroy();
  }
};
