import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { localRegion } from '@creditline/stand-ins';
import { defineCommand, UsageError } from '../command.js';
import { printJson } from '../http.js';
import { createProgressBar } from '../progress-bar.js';
import { readRuntimeInfo } from '../runtime-info.js';
import { localNames } from '../../runtime/settings.js';
import { partnerHelp, partnerOf, partnerOption } from './api-commands.js';

const s3For = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: localRegion,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

const etagOf = (s3: S3Client, key: string): Promise<string | undefined> =>
  s3.send(new HeadObjectCommand({ Bucket: localNames.depositsBucket, Key: key })).then(
    (head) => head.ETag,
    () => undefined,
  );

/**
 * Uploads a file to `inbox/` with a progress bar, then waits for the DepositProcessor's summary
 * (a new `processed/<name>.summary.json`) and prints it. Exit 0 when the file was processed.
 */
export const uploadDepositFile = async (
  dataDir: string,
  file: string,
  key: string,
  timeoutMs = 120_000,
): Promise<number> => {
  const info = readRuntimeInfo(dataDir);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const s3 = s3For(info.s3Endpoint);
  const summaryKey = `processed/${key.replace(/^inbox\//, '')}.summary.json`;
  const before = await etagOf(s3, summaryKey);
  const bar = createProgressBar(`uploading ${basename(file)}`, size);
  let sent = 0;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      bar.update(sent);
      callback(null, chunk);
    },
  });
  await s3.send(
    new PutObjectCommand({
      Bucket: localNames.depositsBucket,
      Key: key,
      Body: createReadStream(file).pipe(counting),
      ContentLength: size,
      ContentType: 'text/csv',
    }),
  );
  bar.done();
  process.stderr.write(
    `uploaded s3://${localNames.depositsBucket}/${key}; waiting for its summary...\n`,
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const etag = await etagOf(s3, summaryKey);
    if (etag !== undefined && etag !== before) {
      const object = await s3.send(
        new GetObjectCommand({ Bucket: localNames.depositsBucket, Key: summaryKey }),
      );
      printJson(JSON.parse((await object.Body?.transformToString()) ?? '{}'));
      return 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new UsageError(
    `no summary at s3://${localNames.depositsBucket}/${summaryKey} after ${timeoutMs / 1000} s: is \`pnpm start\` running?`,
  );
};

const dataDirOf = (values: Record<string, string | boolean | undefined>): string =>
  typeof values['data-dir'] === 'string' ? values['data-dir'] : '.data';

export const depositUploadCommand = defineCommand({
  name: 'deposit upload',
  summary:
    'Uploads a deposit CSV (user_id,amount,deposit_id,timestamp) to the deposits bucket and prints its processing summary.',
  usage: '<file.csv> [--key inbox/<partner>/<name>] [--partner demo]',
  help: `The file goes under the partner's own prefix, inbox/<partner>/: its users are that partner's. ${partnerHelp}`,
  options: {
    key: { type: 'string' },
    ...partnerOption,
    'data-dir': { type: 'string', default: '.data' },
  },
  async run({ values, positionals }) {
    const file = positionals[0];
    if (!file) throw new UsageError('a file is required: creditline deposit upload <file.csv>');
    const inbox = `inbox/${partnerOf(values)}/`;
    const key = typeof values.key === 'string' ? values.key : `${inbox}${basename(file)}`;
    // In AWS the partner's role may write under its own prefix only; the CLI keeps to the same rule.
    if (!key.startsWith(inbox) || key.length === inbox.length)
      throw new UsageError(`--key must be under ${inbox} (the partner's own inbox)`);
    return uploadDepositFile(dataDirOf(values), file, key);
  },
});

/** Demo data: `users` users (user-0001...), each credited with `amount`, as one deposit file. */
export const seedCsv = (users: number, amount: string, now: Date): string => {
  const width = Math.max(4, String(users).length);
  const stamp = now.toISOString();
  const day = stamp.slice(0, 10).replaceAll('-', '');
  const rows = Array.from({ length: users }, (_, index) => {
    const user = `user-${String(index + 1).padStart(width, '0')}`;
    return `${user},${amount},seed-${day}-${user},${stamp}`;
  });
  return `user_id,amount,deposit_id,timestamp\n${rows.join('\n')}\n`;
};

export const seedCommand = defineCommand({
  name: 'seed',
  summary:
    'Credits N demo users (user-0001, ...) with one deposit each, through the real deposit pipeline.',
  usage: '--users <N> [--amount 100.00] [--partner demo]',
  help: `Seeding twice on one day credits once: the deposit ids are per user and day. ${partnerHelp}`,
  options: {
    users: { type: 'string', default: '10' },
    amount: { type: 'string', default: '100.00' },
    ...partnerOption,
    'data-dir': { type: 'string', default: '.data' },
  },
  async run({ values }) {
    const users = Number(values.users);
    if (!Number.isInteger(users) || users < 1 || users > 1_000_000)
      throw new UsageError('--users must be a whole number from 1 to 1000000');
    const amount = typeof values.amount === 'string' ? values.amount : '100.00';
    const now = new Date();
    const file = join(mkdtempSync(join(tmpdir(), 'creditline-seed-')), `seed-${users}-users.csv`);
    writeFileSync(file, seedCsv(users, amount, now));
    return uploadDepositFile(
      dataDirOf(values),
      file,
      `inbox/${partnerOf(values)}/seed-${now.toISOString().slice(0, 10)}-${users}-users.csv`,
    );
  },
});
