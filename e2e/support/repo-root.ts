import { fileURLToPath } from 'node:url';

/** The workspace root: the CLI and the runtime are started from there, as `pnpm` would. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
