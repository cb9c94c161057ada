/**
 * Amex card accounts, balances, member profile and receipts, rendered from
 * the bank's dataset. Transactions live in `transactions.ts`.
 */
import type { Router } from "express";
import type { MockBankContext } from "../bank.js";
import type { MockAccount, MockReceipt } from "../data/types.js";
import { amexAmount, amexDate, amexTime, sendAmexError, stringArray } from "./format.js";

const MAX_RECEIPTS_PER_CARD = 100;

function productType(account: MockAccount): "CHARGE" | "CREDIT" | "CHECKING" | "SAVINGS" {
  switch (account.kind) {
    case "charge_card":
      return "CHARGE";
    case "credit_card":
      return "CREDIT";
    case "savings":
      return "SAVINGS";
    case "checking":
    case "wallet":
      return "CHECKING";
  }
}

/** One receipt (also the details of a shipment webhook). */
export function renderReceipt(receipt: MockReceipt) {
  const { shipment } = receipt;
  return {
    receipt_id: receipt.id,
    transaction_id: receipt.transactionId,
    account_token: receipt.accountId,
    merchant_name: receipt.merchantName,
    purchase_date: amexDate(receipt.issuedAt),
    purchase_time: amexTime(receipt.issuedAt),
    line_items: receipt.items.map((item) => ({
      description: item.description,
      sku: item.sku,
      quantity: item.quantity,
      unit_price: amexAmount(item.unitPriceMinor),
      total: amexAmount(item.unitPriceMinor * item.quantity),
    })),
    subtotal: amexAmount(receipt.subtotalMinor),
    tax: amexAmount(receipt.taxMinor),
    total: amexAmount(receipt.totalMinor),
    shipping: shipment
      ? {
          carrier_name: shipment.carrier,
          tracking_id: shipment.trackingNumber,
          delivery_status: shipment.status,
          estimated_delivery_date: shipment.estimatedDelivery ? shipment.estimatedDelivery.replaceAll("-", "") : null,
          scan_events: shipment.updates.map((u) => ({
            status: u.status,
            scan_date: amexDate(u.at),
            scan_time: amexTime(u.at),
            location: u.location,
            description: u.message,
          })),
        }
      : null,
  };
}

export function mountAmexRoutes(router: Router, bank: MockBankContext): void {
  router.get("/servicing/v1/member/accounts", bank.guard("accounts"), (req, res) => {
    const customer = bank.customerOf(req);
    res.json({
      accounts: bank.data.accountsOf(customer.id).map((account) => ({
        account_token: account.id,
        product: { name: account.name, type: productType(account) },
        // Amex never sends the full card number to third parties.
        last_four: account.number.slice(-4),
        currency_code: account.currency,
        account_status: "ACTIVE",
        account_open_date: account.openedOn.replaceAll("-", ""),
      })),
    });
  });

  router.post("/servicing/v1/financials/balances", bank.guard("balances"), (req, res) => {
    const customer = bank.customerOf(req);
    const tokens = stringArray((req.body as Record<string, unknown> | undefined)?.account_tokens);
    if (!tokens) return sendAmexError(res, 400, "INVALID_REQUEST", "account_tokens must be an array of strings");
    const now = bank.data.now();
    res.json({
      balances: [...new Set(tokens)]
        .filter((token) => bank.data.accountOf(customer.id, token))
        .map((token) => {
          const balance = bank.data.balanceOf(token, now);
          return {
            account_token: token,
            // The dataset has no payments inside the cycle, so what is owed is the statement balance.
            statement_balance: amexAmount(balance.currentMinor),
            payments_credits: amexAmount(0),
            available_credit: balance.availableMinor === null ? null : amexAmount(balance.availableMinor),
            // Charge cards have no preset spending limit.
            credit_limit: balance.limitMinor === null ? null : amexAmount(balance.limitMinor),
            as_of_date: amexDate(now),
            as_of_time: amexTime(now),
          };
        }),
    });
  });

  router.post("/servicing/v1/receipts/search", bank.guard("receipts"), (req, res) => {
    const customer = bank.customerOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ids = body.receipt_ids === undefined ? [] : stringArray(body.receipt_ids);
    const tokens = body.account_tokens === undefined ? [] : stringArray(body.account_tokens);
    const limit = body.limit === undefined ? 10 : Number(body.limit);
    if (!ids || !tokens || (ids.length === 0 && tokens.length === 0)) {
      return sendAmexError(res, 400, "INVALID_REQUEST", "receipt_ids or account_tokens must be a non-empty array of strings");
    }
    if (!Number.isInteger(limit) || limit < 1) return sendAmexError(res, 400, "INVALID_REQUEST", "limit must be a positive integer");
    const found = new Map<string, MockReceipt>();
    for (const id of ids) {
      const receipt = bank.data.receipt(id);
      if (receipt && bank.data.accountOf(customer.id, receipt.accountId)) found.set(receipt.id, receipt);
    }
    for (const token of tokens) {
      if (!bank.data.accountOf(customer.id, token)) continue;
      for (const receipt of bank.data.receiptsOf(token).slice(0, Math.min(limit, MAX_RECEIPTS_PER_CARD))) found.set(receipt.id, receipt);
    }
    const receipts = [...found.values()].sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());
    res.json({ receipts: receipts.map(renderReceipt) });
  });

  router.get("/servicing/v1/member/profile", bank.guard("identity"), (req, res) => {
    const customer = bank.customerOf(req);
    const raw = req.query.account_tokens;
    const tokens = (Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? [raw] : []).flatMap((t) => t.split(",")).filter(Boolean);
    if (tokens.length === 0) return sendAmexError(res, 400, "INVALID_REQUEST", "account_tokens is required");
    const space = customer.name.indexOf(" ");
    const { address } = customer;
    res.json({
      profiles: [...new Set(tokens)]
        .filter((token) => bank.data.accountOf(customer.id, token))
        .map((token) => ({
          account_token: token,
          relationship: "BASIC",
          name: {
            first_name: space < 0 ? customer.name : customer.name.slice(0, space),
            last_name: space < 0 ? "" : customer.name.slice(space + 1),
          },
          email_address: customer.email,
          phone_number: customer.phone,
          billing_address: {
            address_line_1: address.line1,
            address_line_2: address.line2,
            city: address.city,
            state_code: address.region,
            postal_code: address.postalCode,
            country_code: address.country,
          },
        })),
    });
  });
}
