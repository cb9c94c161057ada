/**
 * Which bank accounts each link sees (`link_accounts`, `link_account_scans`): the routing table
 * that takes a webhook about (institution, account) to every link — and so every user — that sees
 * the account. Derived from the links' own account listings; rebuilding it loses nothing.
 */
import type { Database } from "./database.js";

/** A live link that sees an account. */
export interface AccountRoute {
  linkId: string;
  userId: string;
}

/** A live link whose accounts are due to be (re)listed. */
export interface LinkToScan {
  linkId: string;
  userId: string;
  accessTokenCiphertext: string;
}

/** Reads and writes the account routing table. */
export class LinkAccountRepository {
  constructor(private readonly db: Database) {}

  /**
   * The live links that see each of `accountIds` (in that order, links by id), and whether some
   * ACTIVE link of the institution was never scanned — in ONE statement, the common case of routing
   * a webhook (everything scanned) being a single read.
   */
  async routesOfAccounts(institutionId: string, accountIds: readonly string[]): Promise<{ routes: AccountRoute[][]; unscanned: boolean }> {
    const rows = await this.db.query<{ accountId: string | null; linkId: string | null; userId: string | null }>(
      `SELECT a.account_id AS "accountId", l.id AS "linkId", l.user_id AS "userId"
       FROM link_accounts a JOIN links l ON l.id = a.link_id
       WHERE a.institution_id = $1 AND a.account_id = ANY($2::text[]) AND l.status <> 'REVOKED'
       UNION ALL
       SELECT NULL, NULL, NULL WHERE EXISTS (
         SELECT 1 FROM links l LEFT JOIN link_account_scans s ON s.link_id = l.id
         WHERE l.institution_id = $1 AND l.status = 'ACTIVE' AND l.access_token_ciphertext IS NOT NULL AND s.link_id IS NULL
       )
       ORDER BY "linkId"`,
      [institutionId, [...new Set(accountIds)]],
    );
    const byAccount = new Map<string, AccountRoute[]>();
    let unscanned = false;
    for (const { accountId, linkId, userId } of rows) {
      if (accountId === null || linkId === null || userId === null) unscanned = true;
      else byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), { linkId, userId }]);
    }
    return { routes: accountIds.map((id) => byAccount.get(id) ?? []), unscanned };
  }

  /**
   * ACTIVE links of the institution never scanned, or (with `scannedBefore`) last scanned before
   * that time; at most `limit`, oldest link first.
   */
  async linksToScan(institutionId: string, scannedBefore: Date | null, limit: number): Promise<LinkToScan[]> {
    return this.db.query<LinkToScan>(
      `SELECT l.id AS "linkId", l.user_id AS "userId", l.access_token_ciphertext AS "accessTokenCiphertext"
       FROM links l LEFT JOIN link_account_scans s ON s.link_id = l.id
       WHERE l.institution_id = $1 AND l.status = 'ACTIVE' AND l.access_token_ciphertext IS NOT NULL
         AND (s.link_id IS NULL OR ($2::timestamptz IS NOT NULL AND s.scanned_at < $2))
       ORDER BY l.created_at, l.id LIMIT $3`,
      [institutionId, scannedBefore, limit],
    );
  }

  /** Replaces the link's account list and stamps the scan, in one transaction. */
  async saveScan(linkId: string, institutionId: string, accountIds: readonly string[], at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query("DELETE FROM link_accounts WHERE link_id = $1", [linkId]);
      const unique = [...new Set(accountIds)];
      if (unique.length > 0) {
        await tx.query(
          `INSERT INTO link_accounts (link_id, institution_id, account_id)
           SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
          [linkId, institutionId, unique],
        );
      }
      await tx.query(
        `INSERT INTO link_account_scans (link_id, scanned_at) VALUES ($1, $2)
         ON CONFLICT (link_id) DO UPDATE SET scanned_at = EXCLUDED.scanned_at`,
        [linkId, at],
      );
    });
  }
}
