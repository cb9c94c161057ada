/**
 * The accounts the person chose to share at the bank, in the words a receipt may show (migration
 * 008, `link_shared_accounts`): type, name and the last four digits — never a full number.
 * Replaced with each bank grant of the link; read when a consent's receipt is signed, inside that
 * transaction, and by the person's dashboard (/connections) — neither calls the bank for it.
 */
import type { Queryable } from "./database.js";

/** One shared account as a receipt names it. */
export interface SharedAccount {
  accountId: string;
  type: string;
  name: string;
  /** At most the last four characters of the account or card number. */
  mask: string;
}

/** A shared account with the link it was shared through. */
export interface LinkSharedAccount extends SharedAccount {
  linkId: string;
}

/** Reads and replaces a link's shared accounts. Pass a transaction as `db` to take part in it. */
export class LinkSharedAccountRepository {
  constructor(private readonly db: Queryable) {}

  /** The link's accounts are now exactly `accounts` (a new grant at the bank replaces the old list). */
  async replace(linkId: string, accounts: readonly SharedAccount[]): Promise<void> {
    await this.db.query("DELETE FROM link_shared_accounts WHERE link_id = $1", [linkId]);
    for (const account of accounts) {
      await this.db.query(
        `INSERT INTO link_shared_accounts (link_id, account_id, type, name, mask) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (link_id, account_id) DO NOTHING`,
        [linkId, account.accountId, account.type, account.name, lastFour(account.mask)],
      );
    }
  }

  /** The shared accounts of these links (the caller has already checked they are the person's), by link, name and mask. */
  async forLinks(linkIds: readonly string[]): Promise<LinkSharedAccount[]> {
    if (linkIds.length === 0) return [];
    return this.db.query<LinkSharedAccount>(
      `SELECT link_id AS "linkId", account_id AS "accountId", type, name, mask FROM link_shared_accounts
       WHERE link_id = ANY($1::uuid[]) ORDER BY link_id, name, mask`,
      [linkIds],
    );
  }

  /** The link's shared accounts, in the order the bank listed them by id. */
  async forLink(linkId: string): Promise<SharedAccount[]> {
    return this.db.query<SharedAccount>(`SELECT account_id AS "accountId", type, name, mask FROM link_shared_accounts WHERE link_id = $1 ORDER BY account_id`, [
      linkId,
    ]);
  }
}

/** A bank's "mask" is meant to be the last four already; this makes sure no longer number is kept. */
const lastFour = (mask: string) => mask.replace(/\s+/g, "").slice(-4);
