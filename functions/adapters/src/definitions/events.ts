/**
 * EventBridge sources, detail types and rule patterns, defined once for `infra/` and the local
 * runtime's in-process bus (which applies the same patterns with the same matcher semantics).
 */
export const eventSources = {
  /** The Pipe publishes TransactionDecided under this source. */
  authorization: 'creditline.authorization',
  deposits: 'creditline.deposits',
  reconciliation: 'creditline.reconciliation',
  /** ControlsChanged, BalanceLow and BalanceRestored. */
  controls: 'creditline.controls',
  /** Partners publish TransactionRequested as `partner.<partner_id>`. */
  partnerPrefix: 'partner.',
} as const;

export const detailTypes = {
  transactionRequested: 'TransactionRequested',
  transactionDecided: 'TransactionDecided',
  depositFileProcessed: 'DepositFileProcessed',
  reconciliationCompleted: 'ReconciliationCompleted',
  controlsChanged: 'ControlsChanged',
  balanceLow: 'BalanceLow',
  balanceRestored: 'BalanceRestored',
} as const;

/** The subset of EventBridge pattern syntax creditline uses. */
export type PatternValue = string | { readonly prefix: string } | { readonly exists: boolean };
export interface EventPattern {
  readonly source?: readonly PatternValue[];
  readonly 'detail-type'?: readonly PatternValue[];
  readonly detail?: Readonly<Record<string, readonly PatternValue[]>>;
}

export interface RuleDefinition {
  readonly logicalName: string;
  readonly pattern: EventPattern;
  readonly target: 'transaction-validator' | 'transaction-log-queue' | 'callbacks-queue';
}

export const rules = [
  {
    logicalName: 'transaction-requested',
    pattern: {
      source: [{ prefix: eventSources.partnerPrefix }],
      'detail-type': [detailTypes.transactionRequested],
    },
    target: 'transaction-validator',
  },
  {
    logicalName: 'transaction-decided-to-log',
    pattern: { source: [eventSources.authorization], 'detail-type': [detailTypes.transactionDecided] },
    target: 'transaction-log-queue',
  },
  {
    logicalName: 'transaction-decided-to-callbacks',
    pattern: {
      source: [eventSources.authorization],
      'detail-type': [detailTypes.transactionDecided],
      // A prefix rather than `exists`: the Pipe's input template renders an absent callback_url
      // as "", which `exists` would match.
      detail: { callback_url: [{ prefix: 'http' }] },
    },
    target: 'callbacks-queue',
  },
  {
    // Every crossing is routed: whether the partner is called back (it has a
    // monitorCallbackUrl) is the dispatcher's to decide, from the partner configuration.
    logicalName: 'balance-crossings-to-callbacks',
    pattern: {
      source: [eventSources.controls],
      'detail-type': [detailTypes.balanceLow, detailTypes.balanceRestored],
    },
    target: 'callbacks-queue',
  },
] as const satisfies readonly RuleDefinition[];

/** Matches an event against a pattern with EventBridge semantics for the subset above. */
export const matchesPattern = (
  pattern: EventPattern,
  event: { readonly source: string; readonly 'detail-type': string; readonly detail: unknown },
): boolean => {
  const matchValue = (allowed: readonly PatternValue[], value: unknown): boolean =>
    allowed.some((rule) => {
      if (typeof rule === 'string') return value === rule;
      if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
      return rule.exists ? value !== undefined && value !== null : value === undefined;
    });
  if (pattern.source && !matchValue(pattern.source, event.source)) return false;
  if (pattern['detail-type'] && !matchValue(pattern['detail-type'], event['detail-type'])) return false;
  if (pattern.detail) {
    const detail = (typeof event.detail === 'object' && event.detail !== null ? event.detail : {}) as Record<string, unknown>;
    for (const [field, allowed] of Object.entries(pattern.detail)) {
      if (!matchValue(allowed, detail[field])) return false;
    }
  }
  return true;
};
