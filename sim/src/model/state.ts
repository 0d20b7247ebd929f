/**
 * The reference model's state: what the partners did and were told, and what that implies.
 * Pure data, fed the same operations as the system; the rules (rules/*.ts) update it and say
 * what they found wrong. Money is integer cents.
 */
export interface AccountState {
  readonly partner: string;
  readonly user: string;
  /** Deposits credited by files whose processing finished. */
  credited: number;
  /** Deposits of files still being processed (not yet in `credited`), by file operation. */
  readonly creditInFlight: Map<number, number>;
  /** Holds the partner was answered PERMITTED for (or that the final read found), by transaction. */
  readonly holds: Map<string, number>;
  /** Requests not yet answered, or never answered (a hold may exist): by transaction. */
  readonly maybeHolds: Map<string, number>;
}

export interface TransactionBody {
  readonly user: string;
  readonly amount: number;
  readonly currency?: string;
  readonly callback?: string;
}

export interface Answer {
  readonly op: number;
  readonly status: 'PERMITTED' | 'REJECTED';
  readonly reason: string | undefined;
  readonly amount: number;
  readonly remaining: number | undefined;
}

export interface TransactionState {
  readonly partner: string;
  readonly id: string;
  readonly body: TransactionBody;
  readonly answers: Answer[];
  /** Requests under this id still in flight (client attempts not finished). */
  inFlight: number;
  /** The decision the final read found: undefined until then; null when none is stored. */
  stored: Answer | null | undefined;
}

export interface ModelState {
  readonly accounts: Map<string, AccountState>;
  readonly transactions: Map<string, TransactionState>;
  /** Deposit ids credited (per partner), with what they credited. */
  readonly deposits: Map<string, { readonly user: string; readonly amount: number }>;
}

export const key = (partner: string, id: string): string => `${partner}\u0000${id}`;

export const createModelState = (): ModelState => ({
  accounts: new Map(),
  transactions: new Map(),
  deposits: new Map(),
});

export const accountOf = (state: ModelState, partner: string, user: string): AccountState => {
  const id = key(partner, user);
  let account = state.accounts.get(id);
  if (!account) {
    account = {
      partner,
      user,
      credited: 0,
      creditInFlight: new Map(),
      holds: new Map(),
      maybeHolds: new Map(),
    };
    state.accounts.set(id, account);
  }
  return account;
};

export const sum = (values: Iterable<number>): number => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};

/** The most the account can hold right now: every credit that may have landed, minus holds known. */
export const upperAvailable = (account: AccountState): number =>
  account.credited + sum(account.creditInFlight.values()) - sum(account.holds.values());

/** The least: credits known landed, minus every hold known or possible. */
export const lowerAvailable = (account: AccountState, excluding?: string): number => {
  let holds = 0;
  for (const [id, amount] of account.holds) if (id !== excluding) holds += amount;
  for (const [id, amount] of account.maybeHolds)
    if (id !== excluding && !account.holds.has(id)) holds += amount;
  return account.credited - holds;
};
