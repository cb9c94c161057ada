/**
 * Rows of `connect_sessions`, `connect_session_banks` and `disclosures`. No rules here: the connect
 * service (src/connect/connect-session-service.ts) decides, this stores. `status` comes back as
 * stored; the service derives EXPIRED from the clock.
 */
import type { ConnectSessionStatus, ConnectBankStep, ConnectSession, DisclosureRecord } from "../domain/connect-session.js";
import type { ConsentPurpose, Scope } from "../domain/consent.js";
import { describeLimits, limitsFromJson, type PaymentLimits, type PaymentLimitsJson } from "../domain/payment.js";
import type { Queryable } from "./database.js";
import { isUuid } from "./uuid.js";

interface SessionRow {
  id: string;
  client_id: string;
  user_id: string;
  purpose: string;
  scopes: string[];
  institution_ids: string[];
  duration_days: number;
  history_days: number | null;
  redirect_uri: string;
  state: string;
  status: string;
  created_at: Date;
  expires_at: Date;
  opened_at: Date | null;
  disclosure_id: string | null;
  finished_at: Date | null;
  payment_limits: PaymentLimitsJson | null;
  chosen_payment_limits: PaymentLimitsJson | null;
}

interface BankRow {
  institution_id: string;
  status: string;
  attempt_id: string | null;
  link_id: string | null;
  consent_id: string | null;
}

interface DisclosureRow {
  id: string;
  connect_session_id: string;
  user_id: string;
  client_id: string;
  text: string;
  template_version: string;
  sha256: string;
  shown_at: Date;
}

const toSession = (row: SessionRow, banks: BankRow[]): ConnectSession => ({
  id: row.id,
  clientId: row.client_id,
  userId: row.user_id,
  request: {
    purpose: row.purpose as ConsentPurpose,
    scopes: row.scopes as Scope[],
    institutionIds: row.institution_ids,
    durationDays: row.duration_days,
    historyDays: row.history_days,
    redirectUri: row.redirect_uri,
    state: row.state,
    paymentLimits: row.payment_limits && limitsFromJson(row.payment_limits),
  },
  chosenPaymentLimits: row.chosen_payment_limits && limitsFromJson(row.chosen_payment_limits),
  status: row.status as ConnectSessionStatus,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  openedAt: row.opened_at,
  disclosureId: row.disclosure_id,
  banks: banks.map((b): ConnectBankStep => ({
    institutionId: b.institution_id,
    status: b.status as ConnectBankStep["status"],
    attemptId: b.attempt_id,
    linkId: b.link_id,
    consentId: b.consent_id,
  })),
  finishedAt: row.finished_at,
});

const asJson = (limits: PaymentLimits | null) => (limits ? JSON.stringify(describeLimits(limits)) : null);

const toDisclosure = (row: DisclosureRow): DisclosureRecord => ({
  id: row.id,
  connectSessionId: row.connect_session_id,
  userId: row.user_id,
  clientId: row.client_id,
  text: row.text,
  templateVersion: row.template_version,
  sha256: row.sha256,
  shownAt: row.shown_at,
});

/** Reads and writes connect sessions. Pass a transaction as `db` to take part in it. */
export class ConnectSessionRepository {
  constructor(private readonly db: Queryable) {}

  /** Where this repository sends its SQL (a transaction, when it was given one): for work that must share it. */
  get queryable(): Queryable {
    return this.db;
  }

  /** Stores a new session (no banks picked yet). */
  async insert(s: ConnectSession): Promise<void> {
    const r = s.request;
    await this.db.query(
      `INSERT INTO connect_sessions (id, client_id, user_id, purpose, scopes, institution_ids, duration_days, history_days,
         redirect_uri, state, status, created_at, expires_at, opened_at, disclosure_id, finished_at, payment_limits, chosen_payment_limits)
       VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb, $18::jsonb)`,
      [
        s.id,
        s.clientId,
        s.userId,
        r.purpose,
        r.scopes,
        r.institutionIds,
        r.durationDays,
        r.historyDays,
        r.redirectUri,
        r.state,
        s.status,
        s.createdAt,
        s.expiresAt,
        s.openedAt,
        s.disclosureId,
        s.finishedAt,
        asJson(r.paymentLimits),
        asJson(s.chosenPaymentLimits),
      ],
    );
  }

  /** The session and its banks, or null; `lock` takes a row lock (inside a transaction) so steps of one session serialize. */
  async find(id: string, options: { lock?: boolean } = {}): Promise<ConnectSession | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<SessionRow>(`SELECT * FROM connect_sessions WHERE id = $1${options.lock ? " FOR UPDATE" : ""}`, [id]);
    if (!rows[0]) return null;
    const banks = await this.db.query<BankRow>(
      "SELECT institution_id, status, attempt_id, link_id, consent_id FROM connect_session_banks WHERE connect_session_id = $1 ORDER BY position",
      [id],
    );
    return toSession(rows[0], banks);
  }

  /** Writes the session's own columns and replaces its banks with `s.banks`. */
  async update(s: ConnectSession): Promise<void> {
    await this.db.query(
      "UPDATE connect_sessions SET status = $2, opened_at = $3, disclosure_id = $4, finished_at = $5, chosen_payment_limits = $6::jsonb WHERE id = $1",
      [s.id, s.status, s.openedAt, s.disclosureId, s.finishedAt, asJson(s.chosenPaymentLimits)],
    );
    await this.db.query("DELETE FROM connect_session_banks WHERE connect_session_id = $1", [s.id]);
    for (const [position, b] of s.banks.entries()) {
      await this.db.query(
        `INSERT INTO connect_session_banks (connect_session_id, position, institution_id, status, attempt_id, link_id, consent_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [s.id, position, b.institutionId, b.status, b.attemptId, b.linkId, b.consentId],
      );
    }
  }

  /** Keeps what the person was shown. */
  async insertDisclosure(d: DisclosureRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO disclosures (id, connect_session_id, user_id, client_id, text, template_version, sha256, shown_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [d.id, d.connectSessionId, d.userId, d.clientId, d.text, d.templateVersion, d.sha256, d.shownAt],
    );
  }

  /** One disclosure record, or null. */
  async findDisclosure(id: string): Promise<DisclosureRecord | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<DisclosureRow>("SELECT * FROM disclosures WHERE id = $1", [id]);
    return rows[0] ? toDisclosure(rows[0]) : null;
  }
}
