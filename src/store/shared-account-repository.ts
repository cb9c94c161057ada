/**
 * The accounts a person chose to share at their bank, as they can recognise them (name, type,
 * last 4 digits), per link (`shared_accounts`, migration 013). Written when the link is made, so
 * the dashboard never has to call the bank to say which accounts an app sees.
 */
import type { AccountType } from "../domain/model.js";
import type { Queryable } from "./database.js";

/** One shared account as the person sees it; never the full account number. */
export interface SharedAccount {
  linkId: string;
  accountId: string;
  name: string;
  type: AccountType;
  /** Last 4 digits. */
  mask: string;
}

/** Reads and replaces each link's list of shared accounts. */
export class SharedAccountRepository {
  constructor(private readonly db: Queryable) {}

  /** Replaces the link's list (a new authorization at the bank may choose other accounts). */
  async replace(linkId: string, accounts: ReadonlyArray<Pick<SharedAccount, "accountId" | "name" | "type" | "mask">>): Promise<void> {
    await this.db.query("DELETE FROM shared_accounts WHERE link_id = $1", [linkId]);
    if (accounts.length === 0) return;
    await this.db.query(
      `INSERT INTO shared_accounts (link_id, account_id, name, type, mask)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
      [linkId, accounts.map((a) => a.accountId), accounts.map((a) => a.name), accounts.map((a) => a.type), accounts.map((a) => a.mask.slice(-4))],
    );
  }

  /** The shared accounts of these links (the caller has already checked they are the person's). */
  async forLinks(linkIds: readonly string[]): Promise<SharedAccount[]> {
    if (linkIds.length === 0) return [];
    return this.db.query<SharedAccount>(
      `SELECT link_id AS "linkId", account_id AS "accountId", name, type, mask FROM shared_accounts
       WHERE link_id = ANY($1::uuid[]) ORDER BY link_id, name, mask`,
      [linkIds],
    );
  }
}
