import { auroraOutageKind } from './ops/aurora-outage.js';
import { authorizeKind } from './ops/authorize.js';
import { authorizeEventKind } from './ops/authorize-event.js';
import { clockJumpKind } from './ops/clock-jump.js';
import { crossTenantProbeKind } from './ops/cross-tenant-probe.js';
import { depositFileKind } from './ops/deposit-file.js';
import { hotBurstKind } from './ops/hot-burst.js';
import { readBalanceKind } from './ops/read-balance.js';
import { readTransactionKind } from './ops/read-transaction.js';
import { reconcileKind } from './ops/reconcile.js';
import type { OpKind } from './types.js';

/**
 * Every operation kind the workload mixes. A new kind (a capture, a controls change) is a file
 * in ops/ and a line here; kinds that need a capability return weight 0 until it is on main.
 */
// Each kind keeps its own data type; the registry only needs their common shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const opKinds: readonly OpKind<any>[] = [
  depositFileKind,
  authorizeKind,
  authorizeEventKind,
  hotBurstKind,
  readBalanceKind,
  readTransactionKind,
  reconcileKind,
  clockJumpKind,
  auroraOutageKind,
  crossTenantProbeKind,
];
