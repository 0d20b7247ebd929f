/** The floor of `pnpm bench:cold-start`: a handler that does nothing, bundled as the functions are. */
export const handler = (): Promise<{ statusCode: number }> => Promise.resolve({ statusCode: 200 });
