/**
 * Rows of `payment_intents` and `payment_status_history` (migration 015; the status poller's lease, 019). No rules here: the
 * payment service (src/payments/payment-service.ts) decides, this stores. `status` comes back as
 * stored; the service derives EXPIRED from the clock.
 */
import type { PaymentDeclineReason, PaymentIntent, PaymentPayee, PaymentStatus, PaymentStatusChange } from "../domain/payment.js";
import type { Queryable } from "./database.js";
import { isUuid } from "./uuid.js";

type Int8 = string | number | bigint;

interface IntentRow {
  id: string;
  user_id: string;
  client_id: string;
  consent_id: string;
  link_id: string;
  institution_id: string;
  from_account_id: string;
  from_account_mask: string;
  payee: PaymentPayee;
  currency: string;
  amount_minor: Int8;
  fee_minor: Int8 | null;
  reference: string;
  details_sha256: string;
  status: string;
  decline_reason: string | null;
  failure_reason: string | null;
  created_at: Date;
  confirm_expires_at: Date;
  updated_at: Date;
  bank_payment_id: string | null;
  bank_status_code: string | null;
  bank_as_of: Date | null;
}

const toIntent = (row: IntentRow): PaymentIntent => ({
  id: row.id,
  userId: row.user_id,
  clientId: row.client_id,
  consentId: row.consent_id,
  linkId: row.link_id,
  institutionId: row.institution_id,
  fromAccountId: row.from_account_id,
  fromAccountMask: row.from_account_mask,
  payee: row.payee,
  currency: row.currency,
  amountMinor: BigInt(row.amount_minor),
  feeMinor: row.fee_minor === null ? null : BigInt(row.fee_minor),
  reference: row.reference,
  detailsSha256: row.details_sha256,
  status: row.status as PaymentStatus,
  declineReason: row.decline_reason as PaymentDeclineReason | null,
  failureReason: row.failure_reason,
  createdAt: row.created_at,
  confirmExpiresAt: row.confirm_expires_at,
  updatedAt: row.updated_at,
  bankPaymentId: row.bank_payment_id,
  bankStatusCode: row.bank_status_code,
  bankAsOf: row.bank_as_of,
});

/** What one consent's intents hold in a window: amounts and counts that still count against the limits. */
export interface WindowUsage {
  amountMinor: bigint;
  count: number;
  /** Intents created (declined or not) since the velocity window's start. */
  recentAttempts: number;
}

/** Pass a transaction as `db` to take part in it. */
export class PaymentRepository {
  constructor(private readonly db: Queryable) {}

  async insert(intent: PaymentIntent): Promise<void> {
    await this.db.query(
      `INSERT INTO payment_intents (id, user_id, client_id, consent_id, link_id, institution_id, from_account_id, from_account_mask, payee, currency,
         amount_minor, fee_minor, reference, details_sha256, status, decline_reason, failure_reason, created_at, confirm_expires_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [
        intent.id,
        intent.userId,
        intent.clientId,
        intent.consentId,
        intent.linkId,
        intent.institutionId,
        intent.fromAccountId,
        intent.fromAccountMask,
        JSON.stringify(intent.payee),
        intent.currency,
        intent.amountMinor.toString(),
        intent.feeMinor?.toString() ?? null,
        intent.reference,
        intent.detailsSha256,
        intent.status,
        intent.declineReason,
        intent.failureReason,
        intent.createdAt,
        intent.confirmExpiresAt,
        intent.updatedAt,
      ],
    );
  }

  /** One intent by id; `lock` holds its row until the transaction ends. */
  async find(id: string, options: { lock?: boolean } = {}): Promise<PaymentIntent | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.db.query<IntentRow>(`SELECT * FROM payment_intents WHERE id = $1${options.lock ? " FOR UPDATE" : ""}`, [id]);
    return row ? toIntent(row) : null;
  }

  /** The intent the bank knows by this id. */
  async findByBankId(institutionId: string, bankPaymentId: string, options: { lock?: boolean } = {}): Promise<PaymentIntent | null> {
    const [row] = await this.db.query<IntentRow>(
      `SELECT * FROM payment_intents WHERE institution_id = $1 AND bank_payment_id = $2${options.lock ? " FOR UPDATE" : ""}`,
      [institutionId, bankPaymentId],
    );
    return row ? toIntent(row) : null;
  }

  /**
   * A person's intents for one app, newest first, `first` of them after the `(createdAt, id)` cursor.
   * Returns one more than asked when there is a next page.
   */
  async listForApp(userId: string, clientId: string, first: number, after: { createdAt: Date; id: string } | null): Promise<PaymentIntent[]> {
    const rows = await this.db.query<IntentRow>(
      `SELECT * FROM payment_intents WHERE user_id = $1 AND client_id = $2
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [userId, clientId, after?.createdAt ?? null, after?.id ?? null, first + 1],
    );
    return rows.map(toIntent);
  }

  /** A person's intents with every app, newest first, at most `limit` (their dashboard). */
  async listForPerson(userId: string, limit: number): Promise<PaymentIntent[]> {
    const rows = await this.db.query<IntentRow>(`SELECT * FROM payment_intents WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [userId, limit]);
    return rows.map(toIntent);
  }

  /**
   * What one consent's intents use of the limits since `since`: every intent not DECLINED, EXPIRED,
   * CANCELLED or FAILED counts (one awaiting confirmation holds its share until it expires at `now`);
   * `recentAttempts` counts every intent since `velocitySince`.
   */
  async usage(consentId: string, since: Date, velocitySince: Date, now: Date): Promise<WindowUsage> {
    const [row] = await this.db.query<{ amount: Int8 | null; count: Int8; attempts: Int8 }>(
      `SELECT
         COALESCE(SUM(amount_minor) FILTER (WHERE counts), 0) AS amount,
         COUNT(*) FILTER (WHERE counts) AS count,
         COUNT(*) FILTER (WHERE created_at >= $3) AS attempts
       FROM (
         SELECT amount_minor, created_at,
           status NOT IN ('DECLINED', 'EXPIRED', 'CANCELLED', 'FAILED')
             AND NOT (status = 'REQUIRES_CONFIRMATION' AND confirm_expires_at <= $4) AS counts
         FROM payment_intents WHERE consent_id = $1 AND created_at > $2
       ) AS recent`,
      [consentId, since, velocitySince, now],
    );
    return { amountMinor: BigInt(row?.amount ?? 0), count: Number(row?.count ?? 0), recentAttempts: Number(row?.attempts ?? 0) };
  }

  /** The intents of a consent still waiting for the person, locked (a revocation cancels them). */
  async lockAwaitingConfirmation(consentId: string): Promise<PaymentIntent[]> {
    const rows = await this.db.query<IntentRow>(
      `SELECT * FROM payment_intents WHERE consent_id = $1 AND status = 'REQUIRES_CONFIRMATION' ORDER BY created_at, id FOR UPDATE`,
      [consentId],
    );
    return rows.map(toIntent);
  }

  /**
   * Expires up to `limit` intents still awaiting the person past their confirmation deadline, in
   * one conditional UPDATE: rows another transaction holds are skipped (SKIP LOCKED) and the
   * status is re-checked, so on any number of instances each intent expires exactly once.
   * Returns the intents as they were before (status REQUIRES_CONFIRMATION).
   */
  async expireOverdue(now: Date, limit: number): Promise<PaymentIntent[]> {
    const rows = await this.db.query<IntentRow>(
      `WITH overdue AS (
         SELECT id FROM payment_intents WHERE status = 'REQUIRES_CONFIRMATION' AND confirm_expires_at <= $1
         ORDER BY confirm_expires_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE payment_intents AS p SET status = 'EXPIRED', updated_at = $1
       FROM overdue WHERE p.id = overdue.id AND p.status = 'REQUIRES_CONFIRMATION'
       RETURNING p.*`,
      [now, limit],
    );
    return rows.map((row) => toIntent({ ...row, status: "REQUIRES_CONFIRMATION" }));
  }

  /**
   * Claims up to `limit` payments the bank may know more about than the gateway: CONFIRMED (no
   * submission attempt was answered) or SUBMITTED / PENDING, whose status has not changed since
   * `quietSince` and whose status-check lease has run out at `now`; the longest-quiet first. Each
   * is leased until `leaseUntil` in one conditional UPDATE: rows another transaction holds are
   * skipped (SKIP LOCKED) and the lease is re-checked, so on any number of instances one claim wins.
   */
  async claimQuietAtBank(quietSince: Date, now: Date, leaseUntil: Date, limit: number): Promise<PaymentIntent[]> {
    const rows = await this.db.query<IntentRow>(
      `WITH quiet AS (
         SELECT id FROM payment_intents
         WHERE status IN ('CONFIRMED', 'SUBMITTED', 'PENDING') AND updated_at <= $1
           AND (status_check_lease_until IS NULL OR status_check_lease_until <= $2)
         ORDER BY updated_at, id LIMIT $4 FOR UPDATE SKIP LOCKED
       )
       UPDATE payment_intents AS p SET status_check_lease_until = $3
       FROM quiet WHERE p.id = quiet.id AND (p.status_check_lease_until IS NULL OR p.status_check_lease_until <= $2)
       RETURNING p.*`,
      [quietSince, now, leaseUntil, limit],
    );
    return rows.map(toIntent).sort((x, y) => x.updatedAt.getTime() - y.updatedAt.getTime() || x.id.localeCompare(y.id));
  }

  /** Writes the intent's status and bank fields as they are now in `intent`. */
  async update(intent: PaymentIntent): Promise<void> {
    await this.db.query(
      `UPDATE payment_intents SET status = $2, failure_reason = $3, updated_at = $4, bank_payment_id = $5, bank_status_code = $6, bank_as_of = $7, fee_minor = $8
       WHERE id = $1`,
      [
        intent.id,
        intent.status,
        intent.failureReason,
        intent.updatedAt,
        intent.bankPaymentId,
        intent.bankStatusCode,
        intent.bankAsOf,
        intent.feeMinor?.toString() ?? null,
      ],
    );
  }

  async appendHistory(paymentId: string, change: PaymentStatusChange): Promise<void> {
    await this.db.query(
      `INSERT INTO payment_status_history (payment_id, status, reason, source, bank_code, bank_as_of, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [paymentId, change.status, change.reason, change.source, change.bankCode, change.bankAsOf, change.at],
    );
  }

  /** The intent's status history, oldest first. */
  async history(paymentId: string): Promise<PaymentStatusChange[]> {
    const rows = await this.db.query<{ status: string; reason: string | null; source: string; bank_code: string | null; bank_as_of: Date | null; at: Date }>(
      `SELECT status, reason, source, bank_code, bank_as_of, at FROM payment_status_history WHERE payment_id = $1 ORDER BY id`,
      [paymentId],
    );
    return rows.map((r) => ({
      status: r.status as PaymentStatus,
      reason: r.reason,
      source: r.source as PaymentStatusChange["source"],
      bankCode: r.bank_code,
      bankAsOf: r.bank_as_of,
      at: r.at,
    }));
  }
}
