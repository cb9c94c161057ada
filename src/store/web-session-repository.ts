/**
 * The person's sessions on Bankgraph's pages (table web_sessions, migration 005). The cookie value
 * is a random 256-bit id; only its SHA-256 is stored. Expired rows are never returned and are
 * swept on the next write.
 */
import { createHash, randomBytes } from "node:crypto";
import { systemClock, type Clock } from "../clock.js";
import type { Queryable } from "./database.js";

/** A sign-in the person has started at the identity provider and not finished. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  /** The PKCE code verifier, encrypted with the token cipher. */
  codeVerifierEncrypted: string;
  /** A path on this gateway to go back to afterwards. */
  returnTo: string;
}

export interface WebSession {
  /** The cookie value (the store keeps only its hash). */
  id: string;
  userId: string | null;
  csrfToken: string;
  signIn: PendingSignIn | null;
  /** The connect session this browser is going through (set when it goes to a bank). */
  connectSessionId: string | null;
  /** The IANA time zone the person reads times in (their identity provider's `zoneinfo`, or their choice); null = UTC. */
  timeZone: string | null;
  expiresAt: Date;
}

interface Row {
  user_id: string | null;
  csrf_token: string;
  sign_in: PendingSignIn | string | null;
  connect_session_id: string | null;
  time_zone: string | null;
  expires_at: Date;
}

const hashId = (id: string) => createHash("sha256").update(id).digest("base64url");
const randomToken = () => randomBytes(32).toString("base64url");

export class WebSessionRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A new session (not signed in) that lives `ttlMs`. */
  async create(ttlMs: number, fields: { userId?: string; signIn?: PendingSignIn; timeZone?: string | null } = {}): Promise<WebSession> {
    const now = this.clock.now();
    await this.db.query("DELETE FROM web_sessions WHERE expires_at <= $1", [now]);
    const session: WebSession = {
      id: randomToken(),
      userId: fields.userId ?? null,
      csrfToken: randomToken(),
      signIn: fields.signIn ?? null,
      connectSessionId: null,
      timeZone: fields.timeZone ?? null,
      expiresAt: new Date(now.getTime() + ttlMs),
    };
    await this.db.query(
      "INSERT INTO web_sessions (id_hash, user_id, csrf_token, sign_in, created_at, expires_at, time_zone) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)",
      [hashId(session.id), session.userId, session.csrfToken, session.signIn ? JSON.stringify(session.signIn) : null, now, session.expiresAt, session.timeZone],
    );
    return session;
  }

  /** The live session with this cookie value, or null (unknown, expired or ended). */
  async find(id: string): Promise<WebSession | null> {
    const rows = await this.db.query<Row>(
      "SELECT user_id, csrf_token, sign_in, connect_session_id, time_zone, expires_at FROM web_sessions WHERE id_hash = $1 AND expires_at > $2",
      [hashId(id), this.clock.now()],
    );
    const row = rows[0];
    if (!row) return null;
    const signIn = typeof row.sign_in === "string" ? (JSON.parse(row.sign_in) as PendingSignIn) : row.sign_in;
    return {
      id,
      userId: row.user_id,
      csrfToken: row.csrf_token,
      signIn,
      connectSessionId: row.connect_session_id,
      timeZone: row.time_zone,
      expiresAt: new Date(row.expires_at),
    };
  }

  /**
   * Takes the pending sign-in out of the session (single use: a second callback with the same
   * state finds nothing). Null when there was none.
   */
  async takeSignIn(id: string): Promise<PendingSignIn | null> {
    const rows = await this.db.query<{ sign_in: PendingSignIn | string | null }>(
      `UPDATE web_sessions s SET sign_in = NULL FROM (SELECT sign_in FROM web_sessions WHERE id_hash = $1 AND expires_at > $2 FOR UPDATE) old
       WHERE s.id_hash = $1 AND old.sign_in IS NOT NULL RETURNING old.sign_in`,
      [hashId(id), this.clock.now()],
    );
    const value = rows[0]?.sign_in;
    if (!value) return null;
    return typeof value === "string" ? (JSON.parse(value) as PendingSignIn) : value;
  }

  /** Remembers which connect session this browser is going through (the bank callback finds it here). */
  async setConnectSession(id: string, connectSessionId: string | null): Promise<void> {
    await this.db.query("UPDATE web_sessions SET connect_session_id = $2 WHERE id_hash = $1", [hashId(id), connectSessionId]);
  }

  /** The time zone the person chose on /connections (an IANA name the caller has checked). */
  async setTimeZone(id: string, timeZone: string): Promise<void> {
    await this.db.query("UPDATE web_sessions SET time_zone = $2 WHERE id_hash = $1", [hashId(id), timeZone]);
  }

  /** Ends a session (sign-out, or replaced by a fresh one on sign-in). */
  async end(id: string): Promise<void> {
    await this.db.query("DELETE FROM web_sessions WHERE id_hash = $1", [hashId(id)]);
  }
}
