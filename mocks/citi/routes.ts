/**
 * Citi's API on the mock router: accounts, balances, transactions and
 * the customer profile, all under `/api/v1`. Wire format: see openapi.yaml beside this file.
 */
import { randomUUID } from "node:crypto";
import type { Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import { citiError, citiNotFound } from "./errors.js";
import { renderAccount, renderBalance, renderProfile } from "./render.js";
import { mountTransactionQuery } from "./transactions.js";

const BASE = "/api/v1";
const BalanceQuery = z.object({ accountIds: z.array(z.string().min(1)).min(1) });

/** Mounts Citi's routes; `listsSupersededPending` is the definition's flag, passed to the dataset. */
export function mountCitiApi(router: Router, bank: MockBankContext, options: { listsSupersededPending: boolean }): void {
  const meta = (extra: Record<string, unknown> = {}) => ({ requestId: randomUUID(), ...extra });
  router.get(`${BASE}/accounts`, bank.guard("accounts"), (req, res) => {
    const accounts = bank.data.accountsOf(bank.customerOf(req).id).map(renderAccount);
    res.json({ data: { accounts }, meta: meta({ count: accounts.length }) });
  });

  router.post(`${BASE}/accounts/balances/query`, bank.guard("balances"), (req, res) => {
    const query = BalanceQuery.safeParse(req.body);
    if (!query.success) return citiError(res, 400, "Bad Request", "Body must be { accountIds: [string, ...] }.");
    const customer = bank.customerOf(req);
    const balances = query.data.accountIds.flatMap((id) => {
      const account = bank.data.accountOf(customer.id, id);
      return account ? [renderBalance(account, bank.data.balanceOf(account.id))] : [];
    });
    res.json({ data: { balances }, meta: meta({ count: balances.length }) });
  });

  mountTransactionQuery(router, bank, BASE, options.listsSupersededPending);

  router.get(`${BASE}/customers/profile`, bank.guard("identity"), (req, res) => {
    const ids = typeof req.query.accountIds === "string" ? req.query.accountIds.split(",").filter(Boolean) : [];
    if (ids.length === 0) return citiError(res, 400, "Bad Request", "accountIds (comma separated) is required.");
    const customer = bank.customerOf(req);
    const accountIds = ids.filter((id) => bank.data.accountOf(customer.id, id));
    res.json({ data: { accountIds, customerParticulars: renderProfile(customer) }, meta: meta() });
  });

  // Last: whatever no route above took.
  router.use(BASE, citiNotFound());
}
