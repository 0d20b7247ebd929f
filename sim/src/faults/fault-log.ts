/** Every fault injected, by kind, and which operation (if any) it hit: the checker reads it. */
export type FaultKind =
  | 'dynamodb-throttle'
  | 'dynamodb-5xx'
  | 'dynamodb-timeout-after-write'
  | 'dynamodb-retried-after-write'
  | 'dynamodb-transaction-conflict'
  | 'aws-5xx'
  | 'sql-drop-before'
  | 'sql-drop-mid-transaction'
  | 'sql-commit-answer-lost'
  | 'aurora-outage'
  | 'kill'
  | 'stream-delay'
  | 'stream-duplicate'
  | 'pipe-fail-after-publish'
  | 'sqs-duplicate-send'
  | 'sqs-lost-delete'
  | 'webhook-5xx'
  | 'webhook-timeout'
  | 'webhook-hang'
  | 'clock-jump';

export interface InjectedFault {
  readonly kind: FaultKind;
  /** Where: the scope's label (an operation, a message) and the call it hit. */
  readonly scope: string;
  readonly detail: string;
  /** The workload operation it hit, when it hit one. */
  readonly op?: number;
}

export interface FaultLog {
  record(fault: InjectedFault): void;
  readonly all: readonly InjectedFault[];
  /** Faults that hit one operation. */
  forOp(op: number): readonly InjectedFault[];
  /** Faults that hit one invocation (its scope's label). */
  forScope(scope: string): readonly InjectedFault[];
  countsByKind(): Readonly<Partial<Record<FaultKind, number>>>;
}

export const createFaultLog = (): FaultLog => {
  const all: InjectedFault[] = [];
  const byOp = new Map<number, InjectedFault[]>();
  const byScope = new Map<string, InjectedFault[]>();
  return {
    all,
    record(fault) {
      all.push(fault);
      byScope.set(fault.scope, [...(byScope.get(fault.scope) ?? []), fault]);
      if (fault.op !== undefined) {
        const list = byOp.get(fault.op) ?? [];
        list.push(fault);
        byOp.set(fault.op, list);
      }
    },
    forOp: (op) => byOp.get(op) ?? [],
    forScope: (scope) => byScope.get(scope) ?? [],
    countsByKind() {
      const counts: Partial<Record<FaultKind, number>> = {};
      for (const fault of all) counts[fault.kind] = (counts[fault.kind] ?? 0) + 1;
      return counts;
    },
  };
};
