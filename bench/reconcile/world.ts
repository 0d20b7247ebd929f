/**
 * The benchmark's books, defined by formulas so PostgreSQL (generate_series) and DynamoDB
 * (BatchWriteItem from the same formulas) hold the same figures without shipping rows around.
 */
export const USERS = 20_000;
export const DEPOSITS = 500_000;
export const TRANSACTIONS = 500_000;
/** Every tenth transaction is a rejection: no money moves, but it is a ledger row all the same. */
export const REJECTED_EVERY = 10;
/** Recent PERMITs still on their way through the outbox (held in the cache, not yet in Aurora). */
export const PENDING_PERMITS = 1_000;

export const userId = (n: number): string => `user-${String(n).padStart(5, '0')}`;
export const depositId = (i: number): string => `dep-${String(i).padStart(7, '0')}`;
/** Deposit i belongs to user 1 + i mod USERS; amounts 10.00 to 99.99. */
export const depositUser = (i: number): number => 1 + (i % USERS);
export const depositAmount = (i: number): number => 1_000 + ((i * 7_919) % 9_000);
export const pendingId = (i: number): string => `pend-${String(i).padStart(6, '0')}`;
export const pendingUser = (i: number): number => 1 + ((i * 13) % USERS);
export const pendingAmount = (i: number): number => 50 + (i % 50);

/** What the child processes need to reach the seeded stand-ins. */
export interface BenchTarget {
  readonly dynamoEndpoint: string;
  readonly tablePrefix: string;
  readonly databaseUrl: string;
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly segments: number;
}

export const TARGET_ENV = 'BENCH_RECONCILE_TARGET';
