/**
 * Polls `probe` until it returns a value other than undefined, or fails naming what it waited
 * for. The runtime is asynchronous end to end (stream, bus, queues), so e2e checks wait for an
 * outcome instead of sleeping for a guessed time.
 */
export const waitFor = async <T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> => {
  const { timeoutMs = 30_000, intervalMs = 200 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
