/**
 * Values that only look like configuration: the AWS documentation's example account ids and
 * the host names reserved for examples (RFC 2606, RFC 6761). A stack deployed with them would
 * trust whoever owns `123456789012` and send callbacks nowhere. `parseStackConfig` refuses
 * them for every stack that reaches AWS, one line naming each; only offline runs (the mocked
 * stack tests and the offline plans, which never reach AWS) accept them.
 */

/** Account ids the AWS documentation uses in its examples. */
const documentedExampleAccounts = new Set([
  '111122223333',
  '123456789012',
  '210987654321',
  '444455556666',
  '555555555555',
  '777788889999',
  '999999999999',
]);

/** 12 digits that are one digit repeated, or count up or down (allowing one slip). */
export const isPlaceholderAccountId = (id: string): boolean => {
  if (!/^\d{12}$/.test(id)) return false;
  if (documentedExampleAccounts.has(id) || /^(\d)\1{11}$/.test(id)) return true;
  const digits = Array.from({ length: id.length }, (_, i) => Number(id.charAt(i)));
  let up = 0;
  let down = 0;
  for (let i = 1; i < digits.length; i++) {
    const step = ((digits[i] ?? 0) - (digits[i - 1] ?? 0) + 10) % 10;
    if (step === 1) up += 1;
    if (step === 9) down += 1;
  }
  return up >= 10 || down >= 10;
};

const reservedTlds = ['example', 'test', 'invalid', 'localhost'];
const reservedDomains = ['example.com', 'example.net', 'example.org'];

/** A host under a name reserved for examples and tests (`*.example`, `example.com`, ...). */
export const isPlaceholderHost = (host: string): boolean => {
  const name = host.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  const labels = name.split('.');
  if (reservedTlds.includes(labels.at(-1) ?? '')) return true;
  return reservedDomains.some((domain) => name === domain || name.endsWith(`.${domain}`));
};

const accountInArn = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/;
const hostInUrl = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i;
const hostLike = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\.?$/i;

const problemsOfText = (where: string, text: string): string[] => {
  if (/^\d{12}$/.test(text))
    return isPlaceholderAccountId(text) ? [`${where}: ${text} is an example AWS account id`] : [];
  const arnAccount = accountInArn.exec(text)?.[1];
  if (arnAccount !== undefined)
    return isPlaceholderAccountId(arnAccount)
      ? [`${where}: ${text} is in the example AWS account ${arnAccount}`]
      : [];
  const email = /^[^@\s]+@([^@\s]+)$/.exec(text)?.[1];
  if (email !== undefined)
    return isPlaceholderHost(email) ? [`${where}: ${text} is at the example domain ${email}`] : [];
  const host =
    hostInUrl.exec(text.replace(/^jdbc:/, ''))?.[1] ?? (hostLike.test(text) ? text : undefined);
  if (host !== undefined && isPlaceholderHost(host))
    return [`${where}: ${text} is a host reserved for examples`];
  return [];
};

/** One line per placeholder value anywhere in the raw stack config, with its path. */
export const placeholderProblems = (value: unknown, where = ''): string[] => {
  if (typeof value === 'string') return problemsOfText(where || '(config)', value);
  if (Array.isArray(value))
    return value.flatMap((item, i) =>
      placeholderProblems(item, where ? `${where}.${i}` : String(i)),
    );
  if (value !== null && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
      placeholderProblems(inner, where ? `${where}.${key}` : key),
    );
  return [];
};
