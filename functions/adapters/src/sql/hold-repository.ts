import {
  PermanentStoreError,
  RetryableStoreError,
  type Cents,
  type HoldOperation,
  type HoldOperationResult,
  type HoldState,
  type SqlClient,
  type SqlExecutor,
} from '@creditline/domain';

/**
 * The lifecycle's books (migration 004): each hold and each operation on it settled once, as an
 * append-only row under its own key, with credit_balance moved by exactly what the row gives
 * back or takes. A first settlement and a redelivery are told apart by
 * `ON CONFLICT DO NOTHING RETURNING`; the hold row is locked first, so concurrent settlements
 * of one hold run one after the other and the sums they leave are checked against each other.
 */

/** A lifecycle step as the TransactionLogger settles it: the request, its fingerprint, its result. */
export interface HoldOperationSettlement {
  readonly partner_id: string;
  readonly user_id: string;
  readonly operation: HoldOperation;
  readonly fingerprint: string;
  readonly result: HoldOperationResult;
}

export interface HoldSettlementResult {
  /** False when the books had it already (a redelivery): nothing changed. */
  readonly inserted: boolean;
}

/** Per user, what the lifecycle rows say (see the header of 004_lifecycle.sql). */
export interface UserHoldBooks {
  readonly partner_id: string;
  readonly user_id: string;
  /** Held now, over every hold of the user. */
  readonly pending: Cents;
  /** Permitted increments. */
  readonly increments: Cents;
  /** Given back by final captures, voids and expiries. */
  readonly released: Cents;
  readonly refunded: Cents;
}

export interface HoldRepository {
  /** Settles the hold a PERMIT started (a REJECT holds nothing and has no row). */
  recordHold(
    hold: HoldState,
    authorizedAt: string,
    settledAt: string,
  ): Promise<HoldSettlementResult>;
  /** Settles one operation: its row, and credit_balance moved by its effect on available. */
  settleOperation(
    settlement: HoldOperationSettlement,
    settledAt: string,
  ): Promise<HoldSettlementResult>;
  /** The hold as its rows add up, in the domain's terms; null when the books have no such hold. */
  findHold(partnerId: string, transactionId: string): Promise<HoldState | null>;
  /** Every user with holds, page by page in (partner_id, user_id) order. */
  eachUserHoldBooksPage(onPage: (rows: UserHoldBooks[]) => void, pageSize?: number): Promise<void>;
}

/**
 * An operation whose hold is not in the books yet: the authorization's settlement is behind
 * (messages are not ordered). Retryable: the message comes back once the hold is settled.
 */
export class HoldMissingError extends RetryableStoreError {}

/** Rows that would break a hold's figures: a bug upstream, never to be written. */
export class HoldFiguresError extends PermanentStoreError {}

const INSERT_HOLD = `
  INSERT INTO holds (partner_id, transaction_id, user_id, capture_method, amount, currency, hold_expires_at, authorized_at, settled_at)
  VALUES (:partner_id, :transaction_id, :user_id, :capture_method, :amount, :currency, :hold_expires_at::timestamptz, :authorized_at::timestamptz, :settled_at::timestamptz)
  ON CONFLICT (partner_id, transaction_id) DO NOTHING
  RETURNING transaction_id`;

const LOCK_HOLD = `
  SELECT user_id FROM holds WHERE partner_id = :partner_id AND transaction_id = :transaction_id FOR UPDATE`;

const INSERT_CAPTURE = `
  INSERT INTO captures (partner_id, transaction_id, capture_id, fingerprint, amount, final, released, occurred_at, settled_at)
  VALUES (:partner_id, :transaction_id, :operation_id, :fingerprint, :amount, :final, :released, :occurred_at::timestamptz, :settled_at::timestamptz)
  ON CONFLICT (partner_id, transaction_id, capture_id) DO NOTHING RETURNING transaction_id`;
const INSERT_VOID = `
  INSERT INTO voids (partner_id, transaction_id, void_id, fingerprint, released, occurred_at, settled_at)
  VALUES (:partner_id, :transaction_id, :operation_id, :fingerprint, :released, :occurred_at::timestamptz, :settled_at::timestamptz)
  ON CONFLICT (partner_id, transaction_id, void_id) DO NOTHING RETURNING transaction_id`;
const INSERT_EXPIRY = `
  INSERT INTO expiries (partner_id, transaction_id, released, occurred_at, settled_at)
  VALUES (:partner_id, :transaction_id, :released, :occurred_at::timestamptz, :settled_at::timestamptz)
  ON CONFLICT (partner_id, transaction_id) DO NOTHING RETURNING transaction_id`;
const INSERT_INCREMENT = `
  INSERT INTO increments (partner_id, transaction_id, increment_id, fingerprint, amount, status, reason, occurred_at, settled_at)
  VALUES (:partner_id, :transaction_id, :operation_id, :fingerprint, :amount, :status, :reason, :occurred_at::timestamptz, :settled_at::timestamptz)
  ON CONFLICT (partner_id, transaction_id, increment_id) DO NOTHING RETURNING transaction_id`;
const INSERT_REFUND = `
  INSERT INTO refunds (partner_id, transaction_id, refund_id, fingerprint, amount, occurred_at, settled_at)
  VALUES (:partner_id, :transaction_id, :operation_id, :fingerprint, :amount, :occurred_at::timestamptz, :settled_at::timestamptz)
  ON CONFLICT (partner_id, transaction_id, refund_id) DO NOTHING RETURNING transaction_id`;

/**
 * The conflict targets above are the keys alone: any other constraint (a second void or expiry
 * of one hold) raises instead of passing for a redelivery.
 */

/** The stored fingerprint under a key, to tell a redelivery from another request reusing it. */
const STORED_FINGERPRINT = {
  capture:
    'SELECT fingerprint FROM captures WHERE partner_id = :partner_id AND transaction_id = :transaction_id AND capture_id = :operation_id',
  void: 'SELECT fingerprint FROM voids WHERE partner_id = :partner_id AND transaction_id = :transaction_id AND void_id = :operation_id',
  increment:
    'SELECT fingerprint FROM increments WHERE partner_id = :partner_id AND transaction_id = :transaction_id AND increment_id = :operation_id',
  refund:
    'SELECT fingerprint FROM refunds WHERE partner_id = :partner_id AND transaction_id = :transaction_id AND refund_id = :operation_id',
  expire: null,
} as const;

const insertFor = {
  capture: INSERT_CAPTURE,
  void: INSERT_VOID,
  expire: INSERT_EXPIRY,
  increment: INSERT_INCREMENT,
  refund: INSERT_REFUND,
} as const;

const MOVE_BALANCE = `
  UPDATE credit_balance SET balance = balance + :delta, updated_at = :settled_at::timestamptz
  WHERE partner_id = :partner_id AND user_id = :user_id`;

const HOLD_FIGURES = `
  SELECT partner_id, transaction_id, user_id, capture_method, currency, hold_expires_at,
         amount, captured, refunded, released, closed_by
  FROM hold_figures WHERE partner_id = :partner_id AND transaction_id = :transaction_id`;

const USER_HOLD_BOOKS_PAGE = `
  SELECT partner_id, user_id, pending, increments, released, refunded
  FROM user_hold_books
  WHERE (partner_id, user_id) > (:after_partner, :after_user)
  ORDER BY partner_id, user_id
  LIMIT :limit`;

/** How a settled operation moves available (what credit_balance keeps). */
const availableDelta = (result: HoldOperationResult): Cents => {
  if (result.operation === 'increment') return result.status === 'PERMITTED' ? -result.amount : 0;
  return result.released;
};

type Row = Record<string, unknown>;
const field = <T>(row: Row, column: string, check: (value: unknown) => value is T): T => {
  const value = row[column];
  if (!check(value))
    throw new PermanentStoreError(
      `column ${column} is malformed: ${String(value)}`,
      'MALFORMED_ROW',
    );
  return value;
};
const isText = (value: unknown): value is string => typeof value === 'string';
const isCents = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);
const isTextOrNull = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';
const isCaptureMethod = (value: unknown): value is HoldState['capture_method'] =>
  value === 'automatic' || value === 'manual';
const isClosedBy = (value: unknown): value is HoldState['closed_by'] =>
  value === null || value === 'capture' || value === 'void' || value === 'expiry';

const toHoldState = (row: Row): HoldState => {
  const currency = field(row, 'currency', isTextOrNull);
  const hold: HoldState = {
    partner_id: field(row, 'partner_id', isText),
    transaction_id: field(row, 'transaction_id', isText),
    user_id: field(row, 'user_id', isText),
    ...(currency !== null ? { currency: currency.trim() } : {}),
    capture_method: field(row, 'capture_method', isCaptureMethod),
    decision: 'PERMITTED',
    amount: field(row, 'amount', isCents),
    captured: field(row, 'captured', isCents),
    refunded: field(row, 'refunded', isCents),
    released: field(row, 'released', isCents),
    closed_by: field(row, 'closed_by', isClosedBy),
    hold_expires_at: field(row, 'hold_expires_at', isTextOrNull),
  };
  return hold;
};

const readHold = async (
  sql: SqlExecutor,
  partnerId: string,
  transactionId: string,
): Promise<HoldState | null> => {
  const { rows } = await sql.query(HOLD_FIGURES, {
    partner_id: partnerId,
    transaction_id: transactionId,
  });
  return rows[0] === undefined ? null : toHoldState(rows[0]);
};

/**
 * The books' own check, inside the settling transaction: the hold's rows must add up to what
 * the state machine allows. A row that breaks it is refused and the transaction rolls back.
 */
const checkFigures = (hold: HoldState): void => {
  const broken = hold.captured + hold.released > hold.amount || hold.refunded > hold.captured;
  if (broken) {
    throw new HoldFiguresError(
      `hold ${hold.partner_id}/${hold.transaction_id} would hold ${hold.amount}, capture ${hold.captured}, release ${hold.released}, refund ${hold.refunded}`,
      'HOLD_FIGURES',
    );
  }
};

/**
 * A key already in the books under another fingerprint: the TransactionLog claims keys before
 * any effect, so this is a bug upstream; settling it as a redelivery would hide it.
 */
const refuseOtherRequest = async (
  tx: SqlExecutor,
  operation: HoldOperationResult['operation'],
  key: { partner_id: string; transaction_id: string; operation_id: string },
  fingerprint: string,
): Promise<void> => {
  const query = STORED_FINGERPRINT[operation];
  if (query === null) return;
  const { rows } = await tx.query(query, key);
  const stored = rows[0]?.fingerprint;
  if (stored !== fingerprint) {
    throw new PermanentStoreError(
      `${operation} ${key.operation_id} on ${key.partner_id}/${key.transaction_id} is in the books for another request`,
      'KEY_CONFLICT',
    );
  }
};

export const createHoldRepository = (sql: SqlClient): HoldRepository => ({
  recordHold: async (hold, authorizedAt, settledAt) => {
    if (hold.decision !== 'PERMITTED')
      throw new PermanentStoreError(`a REJECT holds nothing: ${hold.transaction_id}`, 'NOT_A_HOLD');
    const { rows } = await sql.query(INSERT_HOLD, {
      partner_id: hold.partner_id,
      transaction_id: hold.transaction_id,
      user_id: hold.user_id,
      capture_method: hold.capture_method,
      amount: hold.amount,
      currency: hold.currency ?? null,
      hold_expires_at: hold.hold_expires_at,
      authorized_at: authorizedAt,
      settled_at: settledAt,
    });
    return { inserted: rows.length > 0 };
  },

  settleOperation: ({ partner_id, user_id, operation, fingerprint, result }, settledAt) =>
    sql.transaction(async (tx) => {
      const keys = { partner_id, transaction_id: result.transaction_id };
      const locked = await tx.query(LOCK_HOLD, keys);
      if (locked.rows[0] === undefined) {
        throw new HoldMissingError(
          `hold ${partner_id}/${result.transaction_id} is not in the books yet`,
          'HOLD_MISSING',
        );
      }
      const inserted = await tx.query(insertFor[result.operation], {
        ...keys,
        operation_id: result.operation_id,
        fingerprint,
        amount: result.amount,
        released: result.released,
        final: operation.kind === 'capture' && operation.final === true,
        status: result.status,
        reason: result.reason,
        occurred_at: result.occurred_at,
        settled_at: settledAt,
      });
      if (inserted.rows.length === 0) {
        await refuseOtherRequest(
          tx,
          result.operation,
          { ...keys, operation_id: result.operation_id },
          fingerprint,
        );
        return { inserted: false };
      }
      const hold = await readHold(tx, partner_id, result.transaction_id);
      if (hold !== null) checkFigures(hold);
      const delta = availableDelta(result);
      if (delta !== 0) {
        const moved = await tx.query(MOVE_BALANCE, {
          delta,
          partner_id,
          user_id,
          settled_at: settledAt,
        });
        if (moved.rowCount !== 1) {
          throw new RetryableStoreError(
            `user ${partner_id}/${user_id} has no credit_balance to settle ${result.operation} ${result.operation_id} against`,
            'BALANCE_MISSING',
          );
        }
      }
      return { inserted: true };
    }),

  findHold: (partnerId, transactionId) => readHold(sql, partnerId, transactionId),

  eachUserHoldBooksPage: async (onPage, pageSize = 1_000) => {
    let after = { partner: '', user: '' };
    for (;;) {
      const { rows } = await sql.query(USER_HOLD_BOOKS_PAGE, {
        after_partner: after.partner,
        after_user: after.user,
        limit: pageSize,
      });
      const page = rows.map((row) => ({
        partner_id: field(row, 'partner_id', isText),
        user_id: field(row, 'user_id', isText),
        pending: field(row, 'pending', isCents),
        increments: field(row, 'increments', isCents),
        released: field(row, 'released', isCents),
        refunded: field(row, 'refunded', isCents),
      }));
      const last = page.at(-1);
      if (last === undefined) return;
      onPage(page);
      if (page.length < pageSize) return;
      after = { partner: last.partner_id, user: last.user_id };
    }
  },
});
