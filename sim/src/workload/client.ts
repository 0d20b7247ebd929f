import type { Violation } from '../checker/verdicts.js';
import type { SimPartner } from '../system/partners.js';
import type { OpEnv } from './types.js';

/**
 * A partner's HTTP client: one request, in its own fault scope, judged at the door. A 5xx is
 * fine only when a fault was injected into that very request (a store error, an outage, a
 * kill); a refusal must carry a code; nothing may look like a stack trace.
 */
export interface Sent {
  /** The HTTP status, or what the client saw instead of an answer. */
  readonly status: number | 'no-answer';
  readonly body: unknown;
  readonly faults: number;
  readonly label: string;
}

export const errorCodeOf = (body: unknown): string | undefined => {
  const error = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === 'string' ? error.code : undefined;
};

const errorMessageOf = (body: unknown): string | undefined => {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === 'string' ? error.message : undefined;
};

const looksLikeStack = (body: unknown): boolean =>
  /\n\s+at\s|\.ts:\d+|node_modules/.test(
    typeof body === 'string' ? body : JSON.stringify(body ?? null),
  );

export const send = async (
  env: OpEnv,
  request: {
    readonly op: number;
    readonly attempt: string;
    readonly partner: SimPartner;
    readonly method: string;
    readonly path: string;
    readonly body?: unknown;
    readonly entities: readonly string[];
    readonly valid: boolean;
  },
): Promise<Sent> => {
  const label = `op${request.op}:${request.attempt}`;
  const scope = env.system.scopeFor(label, request.op);
  const result = await env.system.http(
    request.partner,
    request.method,
    request.path,
    request.body,
    scope,
  );
  const violations: Violation[] = [];
  const where = `${request.partner.id} ${request.method} ${request.path}`;
  let sent: Sent;
  if (result.kind === 'killed') {
    sent = { status: 'no-answer', body: undefined, faults: scope.faults, label };
  } else if (result.kind === 'crashed') {
    // API Gateway answers a failed invocation with a bare 500.
    sent = { status: 500, body: { message: 'Internal Server Error' }, faults: scope.faults, label };
    violations.push({
      kind: '5xx-on-valid-input',
      op: request.op,
      entities: request.entities,
      message: `${where}: the handler threw (${result.error instanceof Error ? result.error.message : String(result.error)})`,
    });
  } else {
    const { status, body } = result.value;
    sent = { status, body, faults: scope.faults, label };
    if (status >= 500 && scope.faults === 0 && request.valid) {
      violations.push({
        kind: '5xx-on-valid-input',
        op: request.op,
        entities: request.entities.slice(0, 1),
        message: `${where}: ${status} ${errorCodeOf(body) ?? ''} with no fault injected into the request (${errorMessageOf(body) ?? ''})`,
      });
    }
    if (status >= 400 && errorCodeOf(body) === undefined) {
      violations.push({
        kind: 'refusal-without-code',
        op: request.op,
        entities: request.entities,
        message: `${where}: ${status} without error.code: ${JSON.stringify(body)}`,
      });
    }
    if (looksLikeStack(body)) {
      violations.push({
        kind: 'refusal-without-code',
        op: request.op,
        entities: request.entities,
        message: `${where}: the answer shows a stack trace or source path`,
      });
    }
  }
  const faultNote =
    scope.faults > 0
      ? ` [${scope.faults} fault(s): ${env.injector.log.all
          .filter((fault) => fault.scope === label)
          .map((fault) => `${fault.kind}${fault.detail ? ` ${fault.detail}` : ''}`)
          .join('; ')}]`
      : '';
  env.trace.add(
    request.op,
    request.entities,
    `${where}${request.body === undefined ? '' : ` ${JSON.stringify(request.body)}`} → ${sent.status === 'no-answer' ? 'no answer (killed)' : `${sent.status} ${JSON.stringify(sent.body)}`}${faultNote}`,
  );
  env.report(violations);
  return sent;
};

export const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
