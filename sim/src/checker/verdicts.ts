/**
 * The verdicts the checker counts. The first eight are the issue's; the others name what the
 * model can also tell apart (a wrong rejection, a read outside what any order of events allows,
 * a refusal without a code, a system that never drains).
 */
export const verdictKinds = [
  'overspend',
  'double-credit',
  'double-debit',
  'lost-decision',
  'inconsistent-answer',
  '5xx-on-valid-input',
  'drift-after-drain',
  'cross-tenant-leak',
  'wrong-rejection',
  'inconsistent-read',
  'refusal-without-code',
  'drain-timeout',
] as const;
export type VerdictKind = (typeof verdictKinds)[number];

export interface Violation {
  readonly kind: VerdictKind;
  readonly message: string;
  /** The entities it is about (`partner/user:u`, `partner/tx:t`): the trace is cut to them. */
  readonly entities: readonly string[];
  /** The operation that revealed it, when one did. */
  readonly op?: number;
}

export const userEntity = (partner: string, user: string): string => `${partner}/user:${user}`;
export const txEntity = (partner: string, transaction: string): string =>
  `${partner}/tx:${transaction}`;
