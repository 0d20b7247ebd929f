import { describe, expect, it } from 'vitest';
import { depositFilesOf, s3EventSchema } from './s3-object-created-event.js';

const record = (
  key: string,
  eventName = 'ObjectCreated:Put',
  object: Record<string, unknown> = {},
) => ({
  eventSource: 'aws:s3',
  eventName,
  eventTime: '2026-01-15T11:58:12.304Z',
  s3: {
    bucket: { name: 'deposits' },
    object: { key, size: 10, eTag: 'e1', sequencer: '0065A5', ...object },
  },
});

describe('depositFilesOf', () => {
  it.each([
    { key: 'inbox/acme/a.csv', file: 'inbox/acme/a.csv' },
    { key: 'inbox/acme/Jan+15+%28run+1%29.csv', file: 'inbox/acme/Jan 15 (run 1).csv' },
    { key: 'inbox/acme/caf%C3%A9%2Bplus.csv', file: 'inbox/acme/café+plus.csv' },
  ])(
    'decodes the key $key as S3 encodes it, and names the partner its inbox prefix is',
    ({ key, file }) => {
      const { files } = depositFilesOf(s3EventSchema.parse({ Records: [record(key)] }));
      expect(files).toEqual([
        { bucket: 'deposits', key: file, partner_id: 'acme', upload: '0065A5', etag: 'e1' },
      ]);
    },
  );

  it.each([
    {
      key: 'processed/a.csv.summary.json',
      eventName: 'ObjectCreated:Put',
      why: 'not under inbox/',
    },
    { key: 'inbox/partner/', eventName: 'ObjectCreated:Put', why: 'a folder marker' },
    { key: 'inbox/a.csv', eventName: 'ObjectCreated:Put', why: 'not under inbox/<partner_id>/' },
    {
      key: 'inbox/acme bank/a.csv',
      eventName: 'ObjectCreated:Put',
      why: 'not under inbox/<partner_id>/',
    },
    {
      key: 'inbox/a.csv',
      eventName: 'ObjectRemoved:Delete',
      why: 'ObjectRemoved:Delete is not an upload',
    },
  ])('ignores $key ($eventName): $why', ({ key, eventName, why }) => {
    const { files, ignored } = depositFilesOf(
      s3EventSchema.parse({ Records: [record(key, eventName)] }),
    );
    expect(files).toEqual([]);
    expect(ignored).toEqual([{ key, why }]);
  });

  it('names the upload by the version id or ETag when the event has no sequencer', () => {
    const { files } = depositFilesOf(
      s3EventSchema.parse({
        Records: [
          record('inbox/acme/a.csv', 'ObjectCreated:Put', {
            sequencer: undefined,
            versionId: 'v7',
          }),
        ],
      }),
    );
    expect(files[0]?.upload).toBe('v7');
  });

  it('refuses a key that is not URL-encoded as S3 sends it', () => {
    const parsed = s3EventSchema.safeParse({ Records: [record('inbox/100%.csv')] });
    expect(parsed.error?.issues[0]?.message).toBe(
      'object key "inbox/100%.csv" is not URL-encoded as S3 sends it',
    );
  });
});
