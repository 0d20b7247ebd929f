/** A deposit row as a partner writes it: amount as a decimal string. */
export interface DepositLine {
  readonly user_id: string;
  readonly amount: string;
  readonly deposit_id: string;
  readonly timestamp: string;
}

export const depositCsv = (lines: readonly DepositLine[]): string =>
  `user_id,amount,deposit_id,timestamp\n${lines.map((line) => `${line.user_id},${line.amount},${line.deposit_id},${line.timestamp}`).join('\n')}\n`;

/** Exact cents of a valid 2-decimal amount, without floating point. */
export const centsOf = (amount: string): number => {
  const [units = '0', fraction = ''] = amount.split('.');
  return Number(units) * 100 + Number(fraction.padEnd(2, '0'));
};

/**
 * `rows` deposits spread round-robin over `users` users, each with a distinct id and an amount
 * from 1.01 to 100.00, so that per-user sums catch a deposit credited twice or not at all.
 */
export const generateDeposits = (options: {
  rows: number;
  users: number;
  prefix: string;
}): DepositLine[] =>
  Array.from({ length: options.rows }, (_, index) => {
    const cents = 101 + ((index * 7919) % 9900);
    return {
      user_id: `${options.prefix}-user-${String(index % options.users).padStart(5, '0')}`,
      amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
      deposit_id: `${options.prefix}-dep-${String(index).padStart(6, '0')}`,
      timestamp: '2026-01-15T10:00:00Z',
    };
  });

/** What each user should have been credited, in cents. */
export const sumsByUser = (lines: readonly DepositLine[]): Map<string, number> => {
  const sums = new Map<string, number>();
  for (const line of lines)
    sums.set(line.user_id, (sums.get(line.user_id) ?? 0) + centsOf(line.amount));
  return sums;
};
