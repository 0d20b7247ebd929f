import {
  accountStatusSchema,
  controlsResponseSchema,
  type ControlsResponse,
} from '@creditline/domain';
import { defineCommand, UsageError } from '../command.js';
import { mergeLimits } from '../controls-flags.js';
import { callApiAs, printJson } from '../http.js';
import { readRuntimeInfo } from '../runtime-info.js';
import { partnerOf, partnerOption } from './api-commands.js';

const options = {
  ...partnerOption,
  'data-dir': { type: 'string', default: '.data' },
} as const;

type Values = Record<string, string | boolean | undefined>;

/** Calls the controls route of a user as the partner, signed with its local credentials. */
const callControls = (
  values: Values,
  user: string,
  init: { method?: string; body?: string; ifMatch?: string } = {},
) => {
  const info = readRuntimeInfo(
    typeof values['data-dir'] === 'string' ? values['data-dir'] : '.data',
  );
  return callApiAs(
    partnerOf(values),
    `${info.apiUrl}/v1/users/${encodeURIComponent(user)}/controls`,
    {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.ifMatch !== undefined ? { 'if-match': init.ifMatch } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    },
  );
};

const userOf = (positionals: string[], usage: string): string => {
  const user = positionals[0];
  if (!user) throw new UsageError(`a user id is required: creditline ${usage}`);
  return user;
};

export const controlsGetCommand = defineCommand({
  name: 'controls get',
  summary:
    "Prints a user's controls (GET /v1/users/{id}/controls): amounts in cents, with the version.",
  usage: '<user id> [--partner demo]',
  options,
  async run({ values, positionals }) {
    const response = await callControls(values, userOf(positionals, 'controls get <user id>'));
    printJson(response.body);
    return response.status === 200 ? 0 : 1;
  },
});

/** How many times `set` re-reads and re-applies its flags when another change slipped in. */
const SET_ATTEMPTS = 3;

export const controlsSetCommand = defineCommand({
  name: 'controls set',
  summary:
    "Changes a user's controls (PUT /v1/users/{id}/controls with If-Match) and prints the result.",
  usage:
    '<user id> [--status ACTIVE|SUSPENDED|CLOSED] [--max-per-transaction A|none] [--limit INTERVAL:AMOUNT[:COUNT]]... [--partner demo]',
  help: [
    'Only what the flags name changes; the rest stays. Amounts are decimals (50.00).',
    '--limit daily:50.00 sets the daily limit to 50.00; daily:50.00:10 also caps it at 10 authorizations;',
    'daily::10 caps the count only; daily:none removes it. Intervals: daily, weekly, monthly, rolling_24h, lifetime.',
    'Windows are UTC: a day from 00:00, a week from Monday 00:00, a month from the 1st.',
  ].join('\n'),
  options: {
    status: { type: 'string' },
    'max-per-transaction': { type: 'string' },
    limit: { type: 'string', multiple: true },
    ...options,
  },
  async run({ values, positionals }) {
    const user = userOf(positionals, 'controls set <user id> ...');
    const status = values.status;
    if (status !== undefined && !accountStatusSchema.safeParse(status).success)
      throw new UsageError('--status must be ACTIVE, SUSPENDED or CLOSED');
    const maxPerTransaction = values['max-per-transaction'];
    const rawLimits = (values as Record<string, unknown>).limit;
    const limitFlags = Array.isArray(rawLimits)
      ? rawLimits.map(String)
      : typeof rawLimits === 'string'
        ? [rawLimits]
        : [];
    if (status === undefined && maxPerTransaction === undefined && limitFlags.length === 0) {
      throw new UsageError('nothing to change: give --status, --max-per-transaction or --limit');
    }
    mergeLimits([], limitFlags); // the flags' own mistakes first, before any call
    for (let attempt = 1; ; attempt += 1) {
      const read = await callControls(values, user);
      if (read.status !== 200) {
        printJson(read.body);
        return 1;
      }
      const current: ControlsResponse = controlsResponseSchema.parse(read.body);
      const body = {
        ...(typeof status === 'string' ? { status } : {}),
        ...(typeof maxPerTransaction === 'string'
          ? { max_per_transaction: maxPerTransaction === 'none' ? null : maxPerTransaction }
          : {}),
        ...(limitFlags.length > 0
          ? { velocity_limits: mergeLimits(current.velocity_limits, limitFlags) }
          : {}),
      };
      const written = await callControls(values, user, {
        method: 'PUT',
        body: JSON.stringify(body),
        ifMatch: `"${current.version}"`,
      });
      if (written.status === 412 && attempt < SET_ATTEMPTS) continue;
      printJson(written.body);
      return written.status === 200 ? 0 : 1;
    }
  },
});
