/**
 * U.S. Bank's API on the mock router: accounts, balances, transactions and
 * customers, all under `/v3`; batch resources are POST "inquiries" over a list of account IDs.
 * Wire format: see openapi.yaml beside this file.
 */
import type { Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import { usBankError, usBankNotFound, usBankOk } from "./envelope.js";
import { mountUsBankPayments } from "./payments.js";
import { renderAccount, renderBalance, renderCustomer, renderTransaction } from "./render.js";
import { renderedOnce } from "../data/rendered-rows.js";

const BASE = "/v3";
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 500;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(isCalendarDay, "not a calendar date");

const AccountList = z.object({ Accounts: z.array(z.object({ AccountID: z.string().min(1) })).min(1) });

const TransactionInquiry = z.object({
  Accounts: z.array(z.object({ AccountID: z.string().min(1), PageNumber: z.number().int().positive().default(1) })).min(1),
  FromDate: day.optional(),
  ToDate: day.optional(),
  PageSize: z.number().int().positive().default(DEFAULT_PAGE_SIZE),
});

/** Mounts U.S. Bank's routes; `listsSupersededPending` is the definition's flag, passed to the dataset. */
export function mountUsBankApi(router: Router, bank: MockBankContext, options: { listsSupersededPending: boolean }): void {
  /** Each row rendered once, whichever page shows it again (../data/rendered-rows.ts). */
  const listedRow = renderedOnce(renderTransaction);

  router.get(`${BASE}/accounts`, bank.guard("accounts"), (req, res) => {
    usBankOk(res, { AccountList: bank.data.accountsOf(bank.customerOf(req).id).map(renderAccount) });
  });

  router.post(`${BASE}/accounts/balances/inquiry`, bank.guard("balances"), (req, res) => {
    const inquiry = AccountList.safeParse(req.body);
    if (!inquiry.success) return usBankError(res, 400, "Accounts must list at least one { AccountID }");
    const customer = bank.customerOf(req);
    const BalanceList = inquiry.data.Accounts.flatMap(({ AccountID }) => {
      const account = bank.data.accountOf(customer.id, AccountID);
      return account ? [renderBalance(account, bank.data.balanceOf(account.id))] : [];
    });
    usBankOk(res, { BalanceList });
  });

  router.post(`${BASE}/transactions/inquiry`, bank.guard("transactions"), (req, res) => {
    const parsed = TransactionInquiry.safeParse(req.body);
    if (!parsed.success) return usBankError(res, 400, "Invalid transaction inquiry");
    const inquiry = parsed.data;
    if (inquiry.FromDate && inquiry.ToDate && inquiry.FromDate > inquiry.ToDate) {
      return usBankError(res, 400, "FromDate must not be after ToDate");
    }
    const customer = bank.customerOf(req);
    const pageSize = Math.min(inquiry.PageSize, MAX_PAGE_SIZE);
    const range = {
      from: inquiry.FromDate ? new Date(`${inquiry.FromDate}T00:00:00.000Z`) : undefined,
      to: inquiry.ToDate ? new Date(`${inquiry.ToDate}T23:59:59.999Z`) : undefined,
    };
    const AccountTransactions = inquiry.Accounts.flatMap(({ AccountID, PageNumber }) => {
      const account = bank.data.accountOf(customer.id, AccountID);
      if (!account) return []; // unknown or someone else's: omitted, never served
      const listing = bank.data.listing(account.id, options.listsSupersededPending);
      const { start, end } = listing.span(range.from, range.to);
      const total = end - start;
      const first = start + (PageNumber - 1) * pageSize;
      const page = listing.slice(first, Math.min(end, first + pageSize));
      return [
        {
          AccountID: account.id,
          PageNumber,
          PageSize: pageSize,
          TotalPages: Math.ceil(total / pageSize),
          TotalRecords: total,
          TransactionList: page.map((r, i) => listedRow(r, first + i, account.currency)),
        },
      ];
    });
    usBankOk(res, { AccountTransactions });
  });

  router.post(`${BASE}/customers/inquiry`, bank.guard("identity"), (req, res) => {
    const inquiry = AccountList.safeParse(req.body);
    if (!inquiry.success) return usBankError(res, 400, "Accounts must list at least one { AccountID }");
    const customer = bank.customerOf(req);
    const CustomerList = inquiry.data.Accounts.filter(({ AccountID }) => bank.data.accountOf(customer.id, AccountID)).map(({ AccountID }) =>
      renderCustomer(AccountID, customer),
    );
    usBankOk(res, { CustomerList });
  });

  mountUsBankPayments(router, bank, BASE);
  // Last: whatever no route above took.
  router.use(BASE, usBankNotFound());
}

function isCalendarDay(day: string): boolean {
  const at = new Date(`${day}T00:00:00.000Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === day;
}
