/**
 * `load` run on the first call, not before: the first caller's promise is shared by every
 * concurrent and later caller. A load that fails is forgotten, so the next call tries again
 * (a cold start must not stay broken by one throttled import or SDK construction).
 */
export const loadOnce = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
};
