import { installSourceMappedStackTraces } from './source-mapped-stack-traces.js';

/** Injected into every function bundle (`bundle.ts`): installs the mapping as the bundle loads. */
installSourceMappedStackTraces();
