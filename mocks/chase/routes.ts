/**
 * Chase's FDX v6 API, minus transactions (see transactions.ts): account search
 * (lightweight descriptors or details with balances), account contact and the current customer.
 */
import type { Request, Router } from "express";
import type { MockBankContext } from "../bank.js";
import type { MockAccount } from "../data/types.js";
import { FDX_ERROR, fdxGuard, sendFdxError } from "./fdx-errors.js";
import { renderAccount, renderContact, renderCustomer } from "./fdx-render.js";

/** Path prefix of the FDX resource routes. */
export const FDX_BASE = "/fdx/v6";
const MAX_LIMIT = 500;

/** First value of a query parameter (express gives an array when it is repeated). */
export function queryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first !== "" ? first : undefined;
}

/** `limit` as a page size in 1..MAX_LIMIT, or undefined when it is not a positive integer. */
export function pageLimit(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_LIMIT) : undefined;
}

/** Puts the account, contact and customer routes on the router. */
export function mountAccountRoutes(router: Router, bank: MockBankContext): void {
  // One route for both FDX result types: `details` carries balances, so it is counted as a balance read.
  router.get(
    `${FDX_BASE}/accounts`,
    fdxGuard(bank, (q) => (q.resultType === "details" ? "balances" : "accounts")),
    (req, res) => {
      const customer = bank.customerOf(req);
      const ids = queryParam(req, "accountIds")?.split(",");
      const owned = ids
        ? ids.map((id) => bank.data.accountOf(customer.id, id)).filter((a): a is MockAccount => a !== undefined)
        : bank.data.accountsOf(customer.id);
      const offset = Number(queryParam(req, "offset") ?? "0");
      const limit = pageLimit(queryParam(req, "limit"), 100);
      if (!Number.isInteger(offset) || offset < 0 || limit === undefined) {
        return sendFdxError(res, FDX_ERROR.invalidParameter, "offset must be a non-negative integer and limit a positive one");
      }
      const details = queryParam(req, "resultType") === "details";
      const page = owned.slice(offset, offset + limit);
      const next = offset + limit < owned.length ? String(offset + limit) : undefined;
      // The next page's link only when there is one: most answers hold every account.
      const nextQuery = () =>
        new URLSearchParams({
          ...(ids ? { accountIds: ids.join(",") } : {}),
          resultType: details ? "details" : "lightweight",
          offset: next ?? "",
          limit: String(limit),
        });
      res.json({
        page: { ...(next ? { nextOffset: next } : {}), totalElements: owned.length },
        ...(next ? { links: { next: { href: `${FDX_BASE}/accounts?${nextQuery()}` } } } : {}),
        accounts: page.map((a) => renderAccount(a, details ? bank.data.balanceOf(a.id) : undefined)),
      });
    },
  );

  router.get(`${FDX_BASE}/accounts/:accountId`, fdxGuard(bank, "balances"), (req, res) => {
    const account = bank.data.accountOf(bank.customerOf(req).id, String(req.params.accountId));
    if (!account) return sendFdxError(res, FDX_ERROR.accountNotFound, "No such account for this customer");
    res.json(renderAccount(account, bank.data.balanceOf(account.id)));
  });

  router.get(`${FDX_BASE}/accounts/:accountId/contact`, fdxGuard(bank, "identity"), (req, res) => {
    const customer = bank.customerOf(req);
    const account = bank.data.accountOf(customer.id, String(req.params.accountId));
    if (!account) return sendFdxError(res, FDX_ERROR.accountNotFound, "No such account for this customer");
    const { name, ...contact } = renderContact(customer);
    res.json({ holders: [{ relationship: "PRIMARY", name }], emails: contact.email, addresses: contact.addresses, telephones: contact.telephones });
  });

  router.get(`${FDX_BASE}/customers/current`, fdxGuard(bank, "identity"), (req, res) => {
    const customer = bank.customerOf(req);
    res.json(renderCustomer(customer, bank.data.accountsOf(customer.id)));
  });
}
