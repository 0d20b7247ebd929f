import type { DepositRow } from '../model/rules/deposits.js';
import type { FaultProfile } from '../faults/profile.js';
import type { Capabilities } from '../system/capabilities.js';
import type { SimPartner } from '../system/partners.js';

/** What generation remembers: users, ids used, files, so later operations can reuse them. */
export interface GeneratedFile {
  readonly op: number;
  readonly partner: string;
  readonly name: string;
  readonly rows: readonly DepositRow[];
  readonly csv: string;
}

export interface GeneratedTransaction {
  readonly op: number;
  readonly partner: string;
  readonly id: string;
  readonly user: string;
}

export interface GenerationContext {
  readonly partners: readonly SimPartner[];
  readonly capabilities: Capabilities;
  readonly profile: FaultProfile;
  readonly totalOps: number;
  readonly users: readonly string[];
  readonly hotUsers: readonly string[];
  /** Users only one partner has (`<partner>-vip-N`): another partner must never see them. */
  readonly exclusiveUsers: (partner: string) => readonly string[];
  readonly files: GeneratedFile[];
  /** Per `partner/file`, the re-upload operations generated so far. */
  readonly reuploads: Map<string, number[]>;
  readonly transactions: GeneratedTransaction[];
  /** Per partner: the next transaction number (partners share numbers on purpose). */
  nextTransaction: number;
  nextDeposit: number;
  nextFile: number;
}

export const createGenerationContext = (
  partners: readonly SimPartner[],
  capabilities: Capabilities,
  profile: FaultProfile,
  totalOps: number,
): GenerationContext => ({
  partners,
  capabilities,
  profile,
  totalOps,
  users: Array.from({ length: 24 }, (_, index) => `u-${String(index + 1).padStart(2, '0')}`),
  hotUsers: ['hot-1', 'hot-2'],
  exclusiveUsers: (partner) =>
    capabilities.tenancy ? [`${partner}-vip-1`, `${partner}-vip-2`] : [],
  files: [],
  reuploads: new Map(),
  transactions: [],
  nextTransaction: 1,
  nextDeposit: 1,
  nextFile: 1,
});
