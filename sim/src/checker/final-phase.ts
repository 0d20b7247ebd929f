import { createWebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import { decisionStored } from '../model/rules/authorizations.js';
import { key, sum, type Answer, type ModelState } from '../model/state.js';
import { readAudit } from '../observe/audit.js';
import { booksKey, readBooks } from '../observe/books.js';
import { parseScopedUser, viewDriftedAccount } from '../observe/drift.js';
import type { Capabilities } from '../system/capabilities.js';
import type { SimPartner } from '../system/partners.js';
import type { System } from '../system/system.js';
import type { WebhookReceiver } from '../system/webhook-receiver.js';
import type { Trace } from './trace.js';
import { txEntity, userEntity, type Violation } from './verdicts.js';

/**
 * After the system drained: every id read back, every balance exact, every decision settled,
 * audited and delivered (or parked in the DLQ), the books in agreement with the model, and a
 * reconciliation that finds nothing. Faults are off: any refusal here is a verdict.
 */
export interface FinalPhaseInput {
  readonly system: System;
  readonly model: ModelState;
  readonly partners: readonly SimPartner[];
  readonly capabilities: Capabilities;
  readonly receiver: WebhookReceiver;
  readonly trace: Trace;
}

export const runFinalPhase = async (input: FinalPhaseInput): Promise<Violation[]> => {
  const { system, model, partners, capabilities, receiver, trace } = input;
  const violations: Violation[] = [];
  const partnerOf = (id: string): SimPartner => {
    const partner = partners.find((candidate) => candidate.id === id);
    if (!partner) throw new Error(`unknown partner ${id}`);
    return partner;
  };
  const get = async (partner: SimPartner, path: string) => {
    const result = await system.http(
      partner,
      'GET',
      path,
      undefined,
      system.scopeFor(`final:${partner.id}:${path}`),
    );
    if (result.kind !== 'answered')
      throw new Error(
        `final read ${path} failed: ${result.kind === 'crashed' ? String(result.error) : 'killed'}`,
      );
    return result.value;
  };

  // 1. Every id the partners used: what is stored is what was answered; unanswered ones are resolved.
  const stored = new Map<string, Answer>();
  for (const transaction of model.transactions.values()) {
    const answer = await get(partnerOf(transaction.partner), `/v1/transactions/${transaction.id}`);
    const entities = [
      txEntity(transaction.partner, transaction.id),
      userEntity(transaction.partner, transaction.body.user),
    ];
    if (answer.status === 200) {
      const body = answer.body as {
        status?: 'PERMITTED' | 'REJECTED';
        reason?: string | null;
        remaining_credit?: number;
      };
      const decision: Answer = {
        op: -1,
        status: body.status ?? 'REJECTED',
        reason: body.reason ?? undefined,
        amount: transaction.body.amount,
        remaining: body.remaining_credit,
      };
      stored.set(key(transaction.partner, transaction.id), decision);
      violations.push(...decisionStored(model, transaction, decision));
      trace.add(
        undefined,
        entities,
        `final read ${transaction.partner}/${transaction.id} → ${decision.status}${decision.reason ? ` ${decision.reason}` : ''}`,
      );
    } else if (answer.status === 404) {
      violations.push(...decisionStored(model, transaction, null));
      trace.add(
        undefined,
        entities,
        `final read ${transaction.partner}/${transaction.id} → not found`,
      );
    } else {
      violations.push({
        kind: '5xx-on-valid-input',
        entities,
        message: `final read of ${transaction.partner}/${transaction.id} answered ${answer.status}`,
      });
    }
  }

  // 2. Cross-tenant: another partner's id or user looks exactly like none (or like its own).
  if (capabilities.tenancy && partners.length > 1) {
    for (const transaction of model.transactions.values()) {
      for (const other of partners) {
        if (
          other.id === transaction.partner ||
          model.transactions.has(key(other.id, transaction.id))
        )
          continue;
        const answer = await get(other, `/v1/transactions/${transaction.id}`);
        if (answer.status !== 404)
          violations.push({
            kind: 'cross-tenant-leak',
            entities: [txEntity(transaction.partner, transaction.id)],
            message: `${other.id} reads ${transaction.partner}'s ${transaction.id}: ${answer.status} ${JSON.stringify(answer.body)}`,
          });
        break;
      }
    }
  }

  // 3. Every balance exact: credited − holds.
  for (const account of model.accounts.values()) {
    const entities = [userEntity(account.partner, account.user)];
    const expected = account.credited - sum(account.holds.values());
    const answer = await get(partnerOf(account.partner), `/v1/users/${account.user}/balance`);
    const observed =
      answer.status === 200 ? (answer.body as { available?: number }).available : null;
    trace.add(
      undefined,
      entities,
      `final balance ${account.partner}/${account.user} → ${observed ?? 'not found'} (model: ${expected} = credited ${account.credited} − holds ${sum(account.holds.values())})`,
    );
    if (account.credited === 0 && account.holds.size === 0 && observed === null) continue;
    if (observed === null || observed === undefined) {
      violations.push({
        kind: 'inconsistent-read',
        entities,
        message: `${account.partner}/${account.user}: no balance after drain; the model expects ${expected}`,
      });
    } else if (observed > expected) {
      violations.push({
        kind: 'double-credit',
        entities,
        message: `${account.partner}/${account.user}: available ${observed} after drain, the model expects ${expected} (${observed - expected} too much)`,
      });
    } else if (observed < expected) {
      violations.push({
        kind: 'double-debit',
        entities,
        message: `${account.partner}/${account.user}: available ${observed} after drain, the model expects ${expected} (${expected - observed} missing)`,
      });
    }
    if (observed !== null && observed !== undefined && observed < 0)
      violations.push({
        kind: 'overspend',
        entities,
        message: `${account.partner}/${account.user}: available ${observed} < 0 after drain`,
      });
  }

  // 4. The relational books: deposits and holds as the model has them; every decision settled.
  const books = await readBooks(system.sql, partners[0]?.id ?? '');
  const modelCredited = new Map<string, { partner: string; user: string; total: number }>();
  for (const account of model.accounts.values()) {
    const id = booksKey(account.partner, account.user);
    const entry = modelCredited.get(id) ?? {
      partner: account.partner,
      user: account.user,
      total: 0,
    };
    entry.total += account.credited;
    modelCredited.set(id, entry);
  }
  for (const [id, entry] of modelCredited) {
    const booked = books.credited.get(id) ?? 0;
    if (booked !== entry.total)
      violations.push({
        kind: booked > entry.total ? 'double-credit' : 'inconsistent-read',
        entities: [userEntity(entry.partner, entry.user)],
        message: `${entry.partner}/${entry.user}: Aurora deposits sum to ${booked}, the model credited ${entry.total}`,
      });
  }
  const audit = readAudit(system.auditDir);
  const webhooks = createWebhookStore(system.doc, system.tables.webhooks);
  const deliveredOk = new Set(
    receiver.received
      .filter(
        (delivery) => delivery.verified && delivery.answered === 200 && delivery.transactionId,
      )
      .map((delivery) => `${delivery.partner}\u0000${delivery.transactionId ?? ''}`),
  );
  const letters = system.callbackQueue.listDeadLetters(1_000_000);
  const deadLettered = new Set(
    letters.flatMap((letter) => {
      try {
        const detail = (
          JSON.parse(letter.body) as { detail?: { transaction_id?: string; partner_id?: string } }
        ).detail;
        return detail?.transaction_id
          ? [`${detail.partner_id ?? ''}\u0000${detail.transaction_id}`]
          : [];
      } catch {
        return [];
      }
    }),
  );
  for (const parked of deadLettered) {
    const [partner = '', id = ''] = parked.split('\u0000');
    const attempts = receiver.received
      .filter((delivery) => delivery.transactionId === id && delivery.partner === partner)
      .map((delivery) => String(delivery.answered));
    trace.add(
      undefined,
      [txEntity(partner, id)],
      `callback of ${partner}/${id} dead-lettered; the receiver saw ${attempts.length} attempt(s): ${attempts.join(', ')}`,
    );
  }
  // A settlement parked in the transaction-log DLQ never reaches its mark: named in the trace.
  for (const letter of system.logQueue.listDeadLetters(1_000_000)) {
    const detail = (() => {
      try {
        return (
          JSON.parse(letter.body) as {
            detail?: { transaction_id?: string; partner_id?: string; user_id?: string };
          }
        ).detail;
      } catch {
        return undefined;
      }
    })();
    const partner = detail?.partner_id ?? '';
    trace.add(
      undefined,
      [
        ...(detail?.transaction_id ? [txEntity(partner, detail.transaction_id)] : []),
        ...(detail?.user_id ? [userEntity(partner, detail.user_id)] : []),
      ],
      `settlement of ${partner}/${detail?.transaction_id ?? '?'} dead-lettered in the transaction-log DLQ after ${letter.receiveCount} receive(s)`,
    );
  }
  for (const transaction of model.transactions.values()) {
    const decision = stored.get(key(transaction.partner, transaction.id));
    if (!decision) continue;
    const entities = [
      txEntity(transaction.partner, transaction.id),
      userEntity(transaction.partner, transaction.body.user),
    ];
    const id = booksKey(transaction.partner, transaction.id);
    const where = `${transaction.partner}/${transaction.id} (${decision.status})`;
    if (!books.settled.has(id))
      violations.push({
        kind: 'lost-decision',
        entities,
        message: `${where}: decided but never settled in Aurora`,
      });
    const permitted = books.permitted.get(id);
    if (
      decision.status === 'PERMITTED' &&
      permitted &&
      permitted.amount !== transaction.body.amount
    )
      violations.push({
        kind: 'inconsistent-answer',
        entities,
        message: `${where}: settled for ${permitted.amount}, requested ${transaction.body.amount}`,
      });
    if (decision.status !== 'PERMITTED' && permitted)
      violations.push({
        kind: 'double-debit',
        entities,
        message: `${where}: settled as PERMITTED in Aurora`,
      });
    if (
      !audit.ids.has(`${transaction.partner}\u0000${transaction.id}`) &&
      !audit.ids.has(`\u0000${transaction.id}`)
    )
      violations.push({
        kind: 'lost-decision',
        entities,
        message: `${where}: decided but never written to the audit stream`,
      });
    if (transaction.body.callback) {
      const k = `${transaction.partner}\u0000${transaction.id}`;
      // Parked for good without the DLQ: the dispatcher's chained retries end a delivery FAILED
      // (schedule exhausted, or refused) or ENDPOINT_DISABLED on its record, listed for replay.
      const parked =
        !deliveredOk.has(k) &&
        !deadLettered.has(k) &&
        ['FAILED', 'ENDPOINT_DISABLED'].includes(
          (await webhooks.delivery(transaction.partner, transaction.id))?.state ?? 'NONE',
        );
      if (parked)
        trace.add(undefined, entities, `callback of ${where} parked on its delivery record`);
      if (!deliveredOk.has(k) && !deadLettered.has(k) && !parked)
        violations.push({
          kind: 'lost-decision',
          entities,
          message: `${where}: has a callback_url but was neither delivered nor dead-lettered`,
        });
    }
  }
  for (const [id, hold] of books.permitted) {
    const { partner } = hold;
    const transactionId = id.slice(partner.length + 1);
    if (!model.transactions.has(key(partner, transactionId)))
      violations.push({
        kind: 'double-debit',
        entities: [userEntity(partner, hold.user)],
        message: `Aurora holds ${partner}/${transactionId} (${hold.amount}) that the partner never sent`,
      });
  }

  // 5. Reconciliation after drain: nothing to report.
  const reconciled = await system.reconcile(false, system.scopeFor('final:reconcile'));
  if (reconciled.kind !== 'answered') {
    violations.push({
      kind: 'drift-after-drain',
      entities: ['reconciliation'],
      message: `reconciliation after drain failed: ${reconciled.kind === 'crashed' ? String(reconciled.error) : 'killed'}`,
    });
  } else {
    const result = reconciled.value;
    trace.add(undefined, ['reconciliation'], `reconcile after drain → ${JSON.stringify(result)}`);
    const kinds = result.differences > 0 ? await system.reportKinds(result.summary_key) : {};
    // A callback parked in the DLQ is where an operator sees it (invariant 4), not drift; the
    // final phase checked above that each parked one is a decision that was not delivered.
    const { CALLBACK_DEAD_LETTERED: parked = 0, ...drift } = kinds;
    if (parked !== letters.length) {
      violations.push({
        kind: 'drift-after-drain',
        entities: ['reconciliation'],
        message: `reconciliation counts ${parked} dead-lettered callback(s), the callbacks DLQ holds ${letters.length} message(s)`,
      });
    }
    if (Object.keys(drift).length > 0) {
      // The rows name the users (and ids) that drifted: their traces explain the drift.
      const rows = (await system.reportRows(result.summary_key, 20))
        .slice(1)
        .filter((row) => !row.startsWith('CALLBACK_DEAD_LETTERED,'));
      // A row names the account by its scoped key (`partner#user_id`), as the item's pk.
      const accounts = new Map<string, { partner: string; user: string }>();
      for (const row of rows) {
        const [, scoped = ''] = row.split(',');
        const account = parseScopedUser(scoped);
        if (account) accounts.set(scoped, account);
      }
      const drifted = [...accounts.values()].map(({ partner, user }) => userEntity(partner, user));
      for (const row of rows)
        trace.add(undefined, ['reconciliation', ...drifted], `difference: ${row}`);
      for (const { partner, user } of accounts.values()) {
        const view = await viewDriftedAccount(system.doc, system.sql, system.tables, partner, user);
        for (const line of view.lines)
          trace.add(
            undefined,
            [
              'reconciliation',
              userEntity(partner, user),
              ...(line.transaction ? [txEntity(partner, line.transaction)] : []),
            ],
            line.text,
          );
      }
      violations.push({
        kind: 'drift-after-drain',
        entities: ['reconciliation', ...drifted],
        message: `reconciliation after drain reports ${result.differences - parked} difference(s), ${result.drifted_users} drifted user(s), ${result.drift_amount} cents: ${JSON.stringify(drift)}`,
      });
    }
  }
  return violations;
};
