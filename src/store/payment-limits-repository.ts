/**
 * Rows of `consent_payment_limits` (migration 015): the limits of a consent's payments:write. The
 * row doubles as the consent's payment lock: {@link PaymentLimitsRepository.lock} serializes every
 * limit decision and revocation of that consent, on every instance.
 */
import type { PaymentLimits } from "../domain/payment.js";
import type { Queryable } from "./database.js";

interface LimitsRow {
  currency: string;
  per_payment_minor: string | number | bigint;
  daily_amount_minor: string | number | bigint;
  daily_count: number;
  account_ids: string[] | null;
  ends_at: Date | null;
}

const toLimits = (row: LimitsRow): PaymentLimits => ({
  currency: row.currency,
  perPaymentMinor: BigInt(row.per_payment_minor),
  dailyAmountMinor: BigInt(row.daily_amount_minor),
  dailyCount: row.daily_count,
  accountIds: row.account_ids,
  endsAt: row.ends_at,
});

const COLUMNS = "currency, per_payment_minor, daily_amount_minor, daily_count, account_ids, ends_at";

/** Pass a transaction as `db` to take part in it. */
export class PaymentLimitsRepository {
  constructor(private readonly db: Queryable) {}

  async insert(consentId: string, limits: PaymentLimits): Promise<void> {
    await this.db.query(`INSERT INTO consent_payment_limits (consent_id, ${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::text[], $7)`, [
      consentId,
      limits.currency,
      limits.perPaymentMinor.toString(),
      limits.dailyAmountMinor.toString(),
      limits.dailyCount,
      limits.accountIds,
      limits.endsAt,
    ]);
  }

  async find(consentId: string): Promise<PaymentLimits | null> {
    const [row] = await this.db.query<LimitsRow>(`SELECT ${COLUMNS} FROM consent_payment_limits WHERE consent_id = $1`, [consentId]);
    return row ? toLimits(row) : null;
  }

  /** The limits, with the row locked until the transaction ends (null: the consent has none). */
  async lock(consentId: string): Promise<PaymentLimits | null> {
    const [row] = await this.db.query<LimitsRow>(`SELECT ${COLUMNS} FROM consent_payment_limits WHERE consent_id = $1 FOR UPDATE`, [consentId]);
    return row ? toLimits(row) : null;
  }
}
