import type { OpKind } from '../types.js';

/**
 * Reconciliation while traffic flows, report-only or with repair. Its findings mid-run are not
 * verdicts (decisions in flight are legitimately unsettled); a repair that breaks the books
 * shows in the final phase. It must not fail without a fault to blame.
 */
interface ReconcileData {
  readonly repair: boolean;
}

export const reconcileKind: OpKind<ReconcileData> = {
  kind: 'reconcile',
  weight: () => 0.4,
  generate(context, random) {
    const repair = random.chance(0.5);
    return {
      data: { repair },
      partner: context.partners[0]?.id ?? '',
      describe: `reconcile${repair ? ' --repair' : ''}`,
    };
  },
  async execute({ repair }, env, op) {
    const scope = env.system.scopeFor(`op${op}:reconcile`, op);
    const result = await env.system.reconcile(repair, scope);
    const text =
      result.kind === 'answered'
        ? JSON.stringify({
            differences: result.value.differences,
            drifted_users: result.value.drifted_users,
            repaired: result.value.repaired,
          })
        : result.kind === 'killed'
          ? 'killed'
          : `failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`;
    env.trace.add(
      op,
      ['reconciliation'],
      `reconcile${repair ? ' --repair' : ''} during traffic → ${text}${scope.faults > 0 ? ` [${scope.faults} fault(s)]` : ''}`,
    );
    if (result.kind === 'crashed' && scope.faults === 0) {
      env.report([
        {
          kind: '5xx-on-valid-input',
          op,
          entities: ['reconciliation'],
          message: `reconciliation failed with no fault injected: ${result.error instanceof Error ? result.error.message : String(result.error)}`,
        },
      ]);
    }
    env.count(repair ? 'reconciliations with repair' : 'reconciliations');
  },
};
