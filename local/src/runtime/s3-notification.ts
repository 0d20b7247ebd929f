import type { S3Event } from 'aws-lambda';

/**
 * S3 writes object keys into event notifications URL-encoded, spaces as `+` ("red flower.jpg"
 * arrives as "red+flower.jpg"), and the DepositProcessor decodes them that way. s3rver emits the
 * raw key, so the local runtime encodes it as S3 would before the handler sees it.
 */
export const toS3NotificationKey = (key: string): string =>
  encodeURIComponent(key)
    // encodeURIComponent leaves these as they are; S3 escapes them.
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%2F', '/')
    .replaceAll('%20', '+');

export const asS3Notification = (event: S3Event): S3Event => ({
  Records: event.Records.map((record) => ({
    ...record,
    s3: { ...record.s3, object: { ...record.s3.object, key: toS3NotificationKey(record.s3.object.key) } },
  })),
});
