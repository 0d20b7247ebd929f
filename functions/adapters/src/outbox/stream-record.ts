import type { _Record as StreamsApiRecord, AttributeValue } from '@aws-sdk/client-dynamodb-streams';

/**
 * A DynamoDB stream record in the JSON shape Pipes and Lambda hand to their targets: the
 * Streams API's record with the creation time in epoch seconds, binary values in base64 and
 * the stream ARN as eventSourceARN. The local poller reads the Streams API and converts each
 * record with this, so the shared mapping sees what it sees in AWS.
 */
export interface PipeStreamRecord {
  readonly eventID: string;
  readonly eventName: string;
  readonly eventVersion: string;
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: {
    readonly ApproximateCreationDateTime?: number;
    readonly Keys: Record<string, unknown>;
    readonly NewImage?: Record<string, unknown>;
    readonly OldImage?: Record<string, unknown>;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: string;
  };
  readonly eventSourceARN: string;
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

const toJsonValue = (value: AttributeValue): unknown => {
  // An empty map comes out of DynamoDB Local's stream (through the SDK) as `{}`, without its
  // type; AWS delivers `{"M": {}}`, and unmarshall refuses a value with no type.
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: toJsonImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toJsonValue) };
  return value;
};

const toJsonImage = (image: Record<string, AttributeValue>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toJsonValue(value)]));

export const toPipeStreamRecord = (
  record: StreamsApiRecord,
  streamArn: string,
): PipeStreamRecord => {
  const change = record.dynamodb ?? {};
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName ?? '',
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? '',
    dynamodb: {
      ...(change.ApproximateCreationDateTime
        ? {
            ApproximateCreationDateTime: Math.floor(
              change.ApproximateCreationDateTime.getTime() / 1000,
            ),
          }
        : {}),
      Keys: toJsonImage(change.Keys ?? {}),
      ...(change.NewImage ? { NewImage: toJsonImage(change.NewImage) } : {}),
      ...(change.OldImage ? { OldImage: toJsonImage(change.OldImage) } : {}),
      SequenceNumber: change.SequenceNumber ?? '',
      SizeBytes: change.SizeBytes ?? 0,
      StreamViewType: change.StreamViewType ?? '',
    },
    eventSourceARN: streamArn,
  };
};
