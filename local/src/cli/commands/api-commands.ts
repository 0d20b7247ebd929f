import { randomUUID } from 'node:crypto';
import { defineCommand, requireString, UsageError } from '../command.js';
import { DEFAULT_LOCAL_PARTNER, localPartners } from '../../identity/local-partners.js';
import { declineSummary } from '../decline-summary.js';
import { callApiAs, printJson } from '../http.js';
import { readRuntimeInfo } from '../runtime-info.js';

const dataDirOption = { 'data-dir': { type: 'string', default: '.data' } } as const;
/** Every command a partner runs acts as one partner, signing with its local credentials. */
export const partnerOption = {
  partner: { type: 'string', default: DEFAULT_LOCAL_PARTNER },
} as const;
export const partnerHelp = `--partner acts as that local partner (${localPartners.map((partner) => partner.id).join(' or ')}; default ${DEFAULT_LOCAL_PARTNER}).`;
export const partnerOf = (values: Record<string, string | boolean | undefined>): string =>
  typeof values.partner === 'string' ? values.partner : DEFAULT_LOCAL_PARTNER;
const dataDir = (values: Record<string, string | boolean | undefined>): string =>
  typeof values['data-dir'] === 'string' ? values['data-dir'] : '.data';

/** HTTP status → exit code: a decision (PERMITTED or REJECTED) is success; an error is not. */
const exitFor = (status: number): number => (status >= 200 && status < 300 ? 0 : 1);

export const authorizeCommand = defineCommand({
  name: 'authorize',
  summary:
    'Asks the running system to authorize a transaction (POST /v1/transactions) and prints the decision.',
  usage:
    '--user <id> --amount <decimal> [--id <transaction id>] [--callback <url>] [--currency USD] [--expires-at <ISO time>] [--partner demo]',
  help: `The request is signed as the partner, so a --callback on 127.0.0.1 is delivered to it, signed. ${partnerHelp}`,
  options: {
    user: { type: 'string' },
    amount: { type: 'string' },
    id: { type: 'string' },
    callback: { type: 'string' },
    currency: { type: 'string' },
    'expires-at': { type: 'string' },
    ...partnerOption,
    ...dataDirOption,
  },
  async run({ values }) {
    // The caller's own mistakes first: a missing flag is worth fixing whether or not the system runs.
    const body = {
      transaction_id: typeof values.id === 'string' ? values.id : `tx-${randomUUID()}`,
      user_id: requireString(values, 'user'),
      amount: requireString(values, 'amount'),
      ...(typeof values.callback === 'string' ? { callback_url: values.callback } : {}),
      ...(typeof values.currency === 'string' ? { currency: values.currency } : {}),
      ...(typeof values['expires-at'] === 'string' ? { expires_at: values['expires-at'] } : {}),
    };
    const info = readRuntimeInfo(dataDir(values));
    const response = await callApiAs(partnerOf(values), `${info.apiUrl}/v1/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    printJson(response.body);
    // The decline's detail, for a person, beside the JSON a script reads.
    const summary = declineSummary(response.body);
    if (summary !== null) process.stderr.write(`${summary}\n`);
    return exitFor(response.status);
  },
});

export const balanceCommand = defineCommand({
  name: 'balance',
  summary: "Prints a user's available credit (GET /v1/users/{id}/balance).",
  usage: '<user id> [--partner demo]',
  help: partnerHelp,
  options: { ...partnerOption, ...dataDirOption },
  async run({ values, positionals }) {
    const user = positionals[0];
    if (!user) throw new UsageError('a user id is required: creditline balance <user id>');
    const info = readRuntimeInfo(dataDir(values));
    const response = await callApiAs(
      partnerOf(values),
      `${info.apiUrl}/v1/users/${encodeURIComponent(user)}/balance`,
    );
    printJson(response.body);
    return exitFor(response.status);
  },
});

export const transactionsCommand = defineCommand({
  name: 'transactions',
  summary: 'Prints the stored decision of a transaction (GET /v1/transactions/{id}).',
  usage: '<transaction id> [--partner demo]',
  help: partnerHelp,
  options: { ...partnerOption, ...dataDirOption },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (!id)
      throw new UsageError(
        'a transaction id is required: creditline transactions <transaction id>',
      );
    const info = readRuntimeInfo(dataDir(values));
    const response = await callApiAs(
      partnerOf(values),
      `${info.apiUrl}/v1/transactions/${encodeURIComponent(id)}`,
    );
    printJson(response.body);
    return exitFor(response.status);
  },
});
