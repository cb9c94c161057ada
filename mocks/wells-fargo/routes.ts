/**
 * Wells Fargo's API, minus transactions (see transactions.ts): accounts, batch balance search and batch customer lookup by account IDs.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import type { MockAccount } from "../data/types.js";
import { sendWfError, wfGuard } from "./wf-errors.js";
import { renderAccount, renderBalance, renderCustomer } from "./wf-render.js";

const accountIdsBody = z.object({ account_ids: z.array(z.string()).min(1).max(500) });

/** The caller's own accounts among `ids`, in the order asked, each once; others are silently left out. */
export function ownedAccounts(bank: MockBankContext, req: Request, ids: readonly string[]): MockAccount[] {
  const customerId = bank.customerOf(req).id;
  return [...new Set(ids)].map((id) => bank.data.accountOf(customerId, id)).filter((a): a is MockAccount => a !== undefined);
}

/** Puts the account, balance and customer routes on the router. */
export function mountAccountRoutes(router: Router, bank: MockBankContext): void {
  router.get("/v2/accounts", wfGuard(bank, "accounts"), (req, res) => {
    res.json({
      accounts: bank.data.accountsOf(bank.customerOf(req).id).map(renderAccount),
      _links: { self: { href: "/v2/accounts" } },
    });
  });

  router.get("/v2/accounts/:account_id", wfGuard(bank, "accounts"), (req, res) => {
    const account = bank.data.accountOf(bank.customerOf(req).id, String(req.params.account_id));
    if (!account) return sendWfError(res, 404, "ACCOUNT_NOT_FOUND", "No such account for this customer");
    res.json(renderAccount(account));
  });

  router.post("/v2/balances/search", wfGuard(bank, "balances"), (req, res) => {
    const body = accountIdsBody.safeParse(req.body);
    if (!body.success) return sendWfError(res, 400, "INVALID_REQUEST", "account_ids must be a list of 1 to 500 account IDs");
    res.json({
      balances: ownedAccounts(bank, req, body.data.account_ids).map((a) => renderBalance(a, bank.data.balanceOf(a.id))),
      _links: { self: { href: "/v2/balances/search" } },
    });
  });

  router.post("/v2/customers/lookup", wfGuard(bank, "identity"), (req, res) => {
    const body = accountIdsBody.safeParse(req.body);
    if (!body.success) return sendWfError(res, 400, "INVALID_REQUEST", "account_ids must be a list of 1 to 500 account IDs");
    const held = ownedAccounts(bank, req, body.data.account_ids).map((a) => a.id);
    // Every account here has one holder, the caller; a joint account would list a second customer.
    res.json({
      customers: held.length > 0 ? [renderCustomer(bank.customerOf(req), held)] : [],
      _links: { self: { href: "/v2/customers/lookup" } },
    });
  });
}
