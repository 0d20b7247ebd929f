export interface BatchPipeline<T> {
  /** Starts `work` on the batch; waits while `concurrency` batches are in flight. Throws the first failure. */
  submit(batch: T): Promise<void>;
  /** Waits for every batch in flight; throws the first failure. */
  finish(): Promise<void>;
  /** Waits for every batch in flight and never throws (cleaning up after a failure elsewhere). */
  settle(): Promise<void>;
}

/**
 * Writes batches a few at a time while the file is read on: the reader waits whenever
 * `concurrency` batches are in flight, so memory holds at most that many batches whatever the
 * file's size. After a failure no batch is started.
 */
export const createBatchPipeline = <T>(
  concurrency: number,
  work: (batch: T) => Promise<void>,
): BatchPipeline<T> => {
  const inFlight = new Set<Promise<void>>();
  let failure: { readonly error: unknown } | null = null;
  const throwIfFailed = (): void => {
    if (failure !== null) throw failure.error;
  };
  const settle = async (): Promise<void> => {
    await Promise.all(inFlight);
  };

  return {
    async submit(batch) {
      throwIfFailed();
      const running: Promise<void> = work(batch)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      throwIfFailed();
    },
    async finish() {
      await settle();
      throwIfFailed();
    },
    settle,
  };
};
