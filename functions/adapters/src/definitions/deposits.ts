/**
 * How big a deposit file may be, defined once for the DepositProcessor (which refuses a larger
 * file) and `infra/` (whose timeout for the function must cover it).
 *
 * A file is processed in one invocation, start to end: one that cannot finish inside the
 * function's timeout would be retried from its first line on every attempt and never finish.
 * So the cap is what the slowest full ingest measured so far (`pnpm bench:deposits`: 10 MB in
 * 98 s, DynamoDB Local on a contended 2-core host, i.e. about 100 kB/s) gets through in half
 * of the timeout. A larger file is refused at once, before anything is credited, with a
 * summary that says how to split it: nothing half-done, nothing retried.
 */
export const depositFileLimits = {
  maxBytes: 32 * 1024 * 1024,
  /** The throughput the cap assumes (bytes of CSV per second, slowest measured). */
  floorBytesPerSecond: 100_000,
  /** Room left in the timeout at that throughput: the file must fit in 1 / margin of it. */
  margin: 2,
} as const;

/** The shortest DepositProcessor timeout that lets a file of `maxBytes` finish, with the margin. */
export const minimumDepositTimeoutSeconds = (): number =>
  Math.ceil(
    (depositFileLimits.maxBytes / depositFileLimits.floorBytesPerSecond) * depositFileLimits.margin,
  );
