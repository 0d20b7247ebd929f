import { formatMoney, transactionResponseSchema, type DeclineDetail } from '@creditline/domain';

/** A measure as a person reads it: cents as a decimal amount, counts as authorizations. */
const measured = (measure: 'amount' | 'count', value: number): string =>
  measure === 'amount' ? formatMoney(value) : `${value} authorization${value === 1 ? '' : 's'}`;

const describe = (detail: DeclineDetail): string => {
  switch (detail.control) {
    case 'status':
      return `the account is ${detail.status}`;
    case 'currency':
      return `the account is in ${detail.currency}, the request in ${detail.requested}`;
    case 'deadline':
      return `decided at ${detail.decided_at}, after the request's deadline ${detail.deadline}`;
    case 'max_per_transaction':
      return `the per-transaction limit is ${formatMoney(detail.limit)}, requested ${formatMoney(detail.requested)}`;
    case 'velocity':
      return (
        `${detail.interval} ${detail.measure} limit ${measured(detail.measure, detail.limit)}: ` +
        `used ${measured(detail.measure, detail.used)}, remaining ${measured(detail.measure, detail.remaining)}` +
        (detail.resets_at !== undefined ? `, resets at ${detail.resets_at}` : '')
      );
    case 'available':
      return `requested ${formatMoney(detail.requested)}, available ${formatMoney(detail.remaining)}`;
  }
};

/**
 * One line for a person about a REJECT (the JSON answer carries the same detail for machines),
 * or null when the answer is not a decline with a detail.
 */
export const declineSummary = (body: unknown): string | null => {
  const parsed = transactionResponseSchema.safeParse(body);
  if (!parsed.success || parsed.data.status !== 'REJECTED' || parsed.data.detail === undefined) return null;
  return `REJECTED ${parsed.data.reason ?? ''}: ${describe(parsed.data.detail)}`;
};
