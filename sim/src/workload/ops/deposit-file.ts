import { userEntity } from '../../checker/verdicts.js';
import {
  checkFileSummary,
  depositFileDone,
  depositFileStarted,
  type DepositRow,
} from '../../model/rules/deposits.js';
import type { Random } from '../../random.js';
import type { GeneratedFile } from '../generation-context.js';
import type { OpKind } from '../types.js';

/**
 * A partner uploads a deposit file: new deposits, rows repeated in the file, rows overlapping
 * earlier files (same deposit, same values), bad rows (each must be refused with its line while
 * the rest goes on), a row that reuses a credited deposit_id with another amount (never
 * credited), or an earlier file uploaded again. S3 retries a failed invocation; a partner
 * whose file never got a summary uploads it again.
 */
interface DepositFileData {
  readonly partner: string;
  readonly name: string;
  readonly csv: string;
  /** Good rows, in file order (repeats included): what the model credits. */
  readonly rows: readonly DepositRow[];
  readonly lines: number;
  readonly bad: number;
  readonly reupload: boolean;
}

/** An invocation's error with what it aggregates (the processor fails the event with every file's error). */
export const describeError = (error: unknown): string => {
  if (error instanceof AggregateError)
    return `${error.message}: ${error.errors.map(describeError).join('; ')}`;
  if (error instanceof Error)
    return `${error.name}: ${error.message}${error.cause ? ` (cause: ${describeError(error.cause)})` : ''}`;
  return String(error);
};

const BASE_TIME = Date.UTC(2026, 0, 1);
const columns = ['user_id', 'amount', 'deposit_id', 'timestamp'] as const;

const badRow = (random: Random, number: number): Record<(typeof columns)[number], string> => {
  const deposit = `bad-${number}`;
  const time = new Date(BASE_TIME).toISOString();
  return random.pick([
    { user_id: 'u-01', amount: '12.345', deposit_id: deposit, timestamp: time },
    { user_id: '', amount: '10.00', deposit_id: deposit, timestamp: time },
    { user_id: 'u-02', amount: 'ten', deposit_id: deposit, timestamp: time },
    { user_id: 'u 03', amount: '10.00', deposit_id: deposit, timestamp: time },
    { user_id: 'u-04', amount: '-5.00', deposit_id: deposit, timestamp: time },
    { user_id: 'u-05', amount: '0', deposit_id: deposit, timestamp: time },
    { user_id: 'u-06', amount: '10.00', deposit_id: deposit, timestamp: 'yesterday' },
    { user_id: '=HYPERLINK("x")', amount: '10.00', deposit_id: deposit, timestamp: time },
  ]);
};

export const depositFileKind: OpKind<DepositFileData> = {
  kind: 'deposit-file',
  weight: () => 7,
  generate(context, random, index) {
    const partner = random.pick(context.partners).id;
    const earlier = context.files.filter((file) => file.partner === partner);
    if (earlier.length > 0 && random.chance(0.1)) {
      const file = random.pick(earlier);
      // S3 replaces an object atomically; s3rver does not: uploads of one key never overlap here.
      const key = `${partner}/${file.name}`;
      const after = [file.op, ...(context.reuploads.get(key) ?? [])];
      context.reuploads.set(key, [...(context.reuploads.get(key) ?? []), index]);
      return {
        after,
        data: {
          partner,
          name: file.name,
          csv: file.csv,
          rows: file.rows,
          lines: file.csv.trim().split(/\r?\n/).length - 1,
          bad: 0,
          reupload: true,
        },
        partner,
        describe: `re-upload ${partner}/${file.name} (first uploaded by op #${file.op})`,
      };
    }
    // Early files credit everyone so authorizations have something to spend.
    const early = context.files.length < 3 * context.partners.length;
    const rows: DepositRow[] = [];
    const everyone = [...context.users, ...context.hotUsers, ...context.exclusiveUsers(partner)];
    const count = early ? everyone.length : random.int(2, 16);
    for (let row = 0; row < count; row += 1) {
      const user = early
        ? (everyone[row] ?? 'u-01')
        : random.chance(0.25)
          ? random.pick(context.hotUsers)
          : random.pick(context.users);
      const hot = context.hotUsers.includes(user);
      rows.push({
        depositId: `dep-${String(context.nextDeposit).padStart(6, '0')}`,
        user,
        amount: hot ? random.int(500, 3000) : random.int(1000, 20000),
      });
      context.nextDeposit += 1;
    }
    const after: number[] = [];
    const overlap =
      earlier.length > 0 && random.chance(0.25)
        ? random.pick(earlier).rows.slice(0, random.int(1, 3))
        : [];
    rows.push(...overlap);
    if (random.chance(0.2)) rows.push(random.pick(rows));
    const lines: Record<(typeof columns)[number], string>[] = rows.map((row, position) => ({
      user_id: row.user,
      amount: (row.amount / 100).toFixed(2),
      deposit_id: row.depositId,
      timestamp: new Date(BASE_TIME + position * 60_000).toISOString(),
    }));
    let bad = 0;
    if (random.chance(0.25)) {
      for (let line = random.int(1, 3); line > 0; line -= 1) {
        lines.splice(random.int(0, lines.length), 0, badRow(random, context.nextDeposit));
        context.nextDeposit += 1;
        bad += 1;
      }
    }
    if (earlier.length > 0 && random.chance(0.1)) {
      // A credited deposit_id again with another amount: refused, never credited twice.
      const file = random.pick(earlier);
      const original = random.pick(file.rows);
      lines.push({
        user_id: original.user,
        amount: ((original.amount + 1) / 100).toFixed(2),
        deposit_id: original.depositId,
        timestamp: new Date(BASE_TIME).toISOString(),
      });
      after.push(file.op);
      bad += 1;
    }
    const order = random.shuffle(columns);
    const newline = random.chance(0.2) ? '\r\n' : '\n';
    const csv =
      [
        order.join(','),
        ...lines.map((line) =>
          order
            .map((column) =>
              /[",]/.test(line[column]) ? `"${line[column].replaceAll('"', '""')}"` : line[column],
            )
            .join(','),
        ),
      ].join(newline) + newline;
    const name = `deposits-${String(context.nextFile).padStart(4, '0')}.csv`;
    context.nextFile += 1;
    const file: GeneratedFile = { op: index, partner, name, rows, csv };
    context.files.push(file);
    return {
      data: { partner, name, csv, rows, lines: lines.length, bad, reupload: false },
      partner,
      after,
      describe: `deposit file ${partner}/${name}: ${rows.length} good rows (${overlap.length} overlapping), ${bad} bad`,
    };
  },
  async execute(data, env, op) {
    const partner = env.partner(data.partner);
    const users = [...new Set(data.rows.map((row) => row.user))];
    const entities = [`${data.partner}/file:${data.name}`];
    const userEntities = users.map((user) => userEntity(data.partner, user));
    depositFileStarted(env.model, op, data.partner, data.rows);
    let object = {
      ...(await env.system.upload(partner, data.name, data.csv)),
      size: Buffer.byteLength(data.csv),
    };
    for (let invocation = 1; invocation <= 30; invocation += 1) {
      const scope = env.system.scopeFor(`op${op}:ingest:${invocation}`, op);
      const result = await env.system.ingest(object, scope);
      const faults = env.injector.log.all
        .filter((fault) => fault.scope === scope.label)
        .map((fault) => `${fault.kind} ${fault.detail}`);
      const faultNote =
        faults.length > 0 ? ` [${faults.length} fault(s): ${faults.join('; ')}]` : '';
      if (result.kind === 'answered') {
        const outcomes = result.value as {
          status: string;
          summary?: { rows?: number; accepted?: number; rejected?: number };
        }[];
        const outcome = outcomes[0];
        env.trace.add(
          op,
          [...entities, ...userEntities],
          `deposit ${data.partner}/${data.name} (invocation ${invocation}) → ${outcome?.status ?? 'nothing'} ${JSON.stringify(outcome?.summary ? { status: (outcome.summary as { status?: string }).status, rows: outcome.summary.rows, accepted: outcome.summary.accepted, rejected: outcome.summary.rejected } : {})}${faultNote}`,
        );
        if (outcome?.status === 'INGESTED' && outcome.summary) {
          env.report(depositFileDone(env.model, op, data.partner, data.rows));
          env.report(
            checkFileSummary(data.partner, op, outcome.summary, {
              rows: data.lines,
              bad: data.bad,
              entities,
            }),
          );
          env.count('deposit files');
          return;
        }
        env.report([
          {
            kind: 'inconsistent-answer',
            op,
            entities,
            message: `deposit ${data.partner}/${data.name}: the processor answered ${outcome?.status ?? 'nothing'} for the upload just made`,
          },
        ]);
        return;
      }
      env.trace.add(
        op,
        [...entities, ...userEntities],
        `deposit ${data.partner}/${data.name} (invocation ${invocation}) → ${result.kind === 'killed' ? 'killed' : `failed: ${describeError(result.error)}`}${faultNote}`,
      );
      if (result.kind === 'crashed' && faults.length === 0) {
        env.report([
          {
            kind: '5xx-on-valid-input',
            op,
            entities,
            message: `deposit ${data.partner}/${data.name}: the processor failed with no fault injected: ${describeError(result.error)}`,
          },
        ]);
      }
      // S3 retries an asynchronous invocation twice; after that the partner uploads the file again.
      if (invocation % 3 === 0)
        object = {
          ...(await env.system.upload(partner, data.name, data.csv)),
          size: Buffer.byteLength(data.csv),
        };
    }
    env.report([
      {
        kind: 'drain-timeout',
        op,
        entities,
        message: `deposit ${data.partner}/${data.name}: never processed after 30 invocations`,
      },
    ]);
  },
};
