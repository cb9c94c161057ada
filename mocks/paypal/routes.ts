/**
 * PayPal's wallet accounts, balances, receipts and identity endpoints, rendered
 * from the bank's dataset. Transaction Search lives in `transactions.ts`.
 */
import type { Router } from "express";
import type { MockBankContext } from "../bank.js";
import type { MockAccount, MockReceipt, MockShipmentStatus } from "../data/types.js";
import { listParam, paypalMoney, paypalTime, sendInvalidRequest } from "./format.js";

/** PayPal's wallet calls its balance "BALANCE"; linked PayPal cards are "CREDIT_CARD". */
function accountType(account: MockAccount): "BALANCE" | "CREDIT_CARD" {
  return account.kind === "wallet" || account.kind === "checking" || account.kind === "savings" ? "BALANCE" : "CREDIT_CARD";
}

/** Shipment statuses in PayPal's Tracking API vocabulary. */
const TRACKER_STATUS: Record<MockShipmentStatus, string> = {
  label_created: "SHIPMENT_CREATED",
  in_transit: "SHIPPED",
  out_for_delivery: "DELIVERY_SCHEDULED",
  delivered: "DELIVERED",
  exception: "DELIVERY_FAILED",
};

/** One receipt (also the resource of a receipt webhook). */
export function renderReceipt(receipt: MockReceipt) {
  const { shipment } = receipt;
  return {
    receipt_id: receipt.id,
    transaction_id: receipt.transactionId,
    account_id: receipt.accountId,
    invoice_date: paypalTime(receipt.issuedAt),
    invoicer: { business_name: receipt.merchantName },
    item_details: receipt.items.map((item) => ({
      item_code: item.sku,
      item_name: item.description,
      item_quantity: String(item.quantity),
      item_unit_price: paypalMoney(item.unitPriceMinor, "USD"),
      item_amount: paypalMoney(item.unitPriceMinor * item.quantity, "USD"),
    })),
    item_total: paypalMoney(receipt.subtotalMinor, "USD"),
    tax_amount: paypalMoney(receipt.taxMinor, "USD"),
    total_amount: paypalMoney(receipt.totalMinor, "USD"),
    trackers: shipment
      ? [
          {
            tracking_number: shipment.trackingNumber,
            // PayPal's carrier enum is upper case ("FEDEX", "UPS", "USPS").
            carrier: shipment.carrier.toUpperCase(),
            status: TRACKER_STATUS[shipment.status],
            ...(shipment.estimatedDelivery ? { estimated_delivery_date: shipment.estimatedDelivery } : {}),
            events: shipment.updates.map((update) => ({
              status: TRACKER_STATUS[update.status],
              event_time: paypalTime(update.at),
              location: update.location,
              description: update.message,
            })),
          },
        ]
      : [],
  };
}

export function mountPayPalRoutes(router: Router, bank: MockBankContext): void {
  router.get("/v1/wallet/accounts", bank.guard("accounts"), (req, res) => {
    const customer = bank.customerOf(req);
    res.json({
      accounts: bank.data.accountsOf(customer.id).map((account) => ({
        account_id: account.id,
        account_type: accountType(account),
        display_name: account.name,
        currency_code: account.currency,
        status: "ACTIVE",
        funding_instrument:
          accountType(account) === "BALANCE"
            ? { type: "BALANCE", last_digits: account.number.slice(-4) }
            : { type: "CARD", brand: "MASTERCARD", last_digits: account.number.slice(-4) },
      })),
    });
  });

  router.get("/v1/reporting/balances", bank.guard("balances"), (req, res) => {
    const customer = bank.customerOf(req);
    const asOf = bank.data.now();
    const owned = listParam(req.query.account_ids).filter((id) => bank.data.accountOf(customer.id, id));
    res.json({
      balances: owned.map((accountId) => {
        const balance = bank.data.balanceOf(accountId, asOf);
        const available = balance.availableMinor;
        // Money held back by pending authorizations: the gap between what is there and what can be spent.
        const withheld =
          available === null ? 0 : balance.limitMinor === null ? balance.currentMinor - available : balance.limitMinor - balance.currentMinor - available;
        return {
          account_id: accountId,
          currency: "USD",
          primary: true,
          total_balance: paypalMoney(balance.currentMinor, "USD"),
          ...(available === null ? {} : { available_balance: paypalMoney(available, "USD") }),
          withheld_balance: paypalMoney(withheld, "USD"),
          ...(balance.limitMinor === null ? {} : { credit_limit: paypalMoney(balance.limitMinor, "USD") }),
        };
      }),
      as_of_time: paypalTime(asOf),
    });
  });

  router.get("/v1/reporting/receipts", bank.guard("receipts"), (req, res) => {
    const customer = bank.customerOf(req);
    const ids = listParam(req.query.ids);
    const accountIds = listParam(req.query.account_ids);
    if (ids.length === 0 && accountIds.length === 0) return sendInvalidRequest(res, req, "ids", "MISSING_REQUIRED_PARAMETER", "ids or account_ids is required");
    const limit = Math.min(Math.max(Number(req.query.limit ?? 10) || 10, 1), 100);
    const byId = ids
      .map((id) => bank.data.receipt(id))
      .filter((r): r is MockReceipt => r !== undefined && bank.data.accountOf(customer.id, r.accountId) !== undefined);
    const recent = accountIds.filter((id) => bank.data.accountOf(customer.id, id)).flatMap((id) => bank.data.receiptsOf(id).slice(0, limit));
    const unique = new Map([...byId, ...recent].map((r) => [r.id, r]));
    const receipts = [...unique.values()].sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());
    res.json({ receipts: receipts.map(renderReceipt) });
  });

  // OpenID userinfo is per user; `account_ids` says which of the user's accounts it covers.
  router.get("/v1/identity/oauth2/userinfo", bank.guard("identity"), (req, res) => {
    const customer = bank.customerOf(req);
    if (req.query.schema !== "paypalv1.1") return sendInvalidRequest(res, req, "schema", "INVALID_PARAMETER_VALUE", "schema must be paypalv1.1");
    const requested = listParam(req.query.account_ids);
    const accounts = bank.data.accountsOf(customer.id).filter((a) => requested.length === 0 || requested.includes(a.id));
    const [givenName, ...rest] = customer.name.split(" ");
    const { address } = customer;
    res.json({
      user_id: `https://www.paypal.com/webapps/auth/identity/user/${customer.id}`,
      payer_id: customer.id.toUpperCase(),
      name: customer.name,
      given_name: givenName,
      family_name: rest.join(" "),
      emails: [{ value: customer.email, primary: true, confirmed: true }],
      phone_number: customer.phone,
      address: {
        street_address: address.line2 ? `${address.line1}\n${address.line2}` : address.line1,
        locality: address.city,
        region: address.region,
        postal_code: address.postalCode,
        country: address.country,
      },
      verified_account: true,
      account_type: "PERSONAL",
      accounts: accounts.map((a) => ({ account_id: a.id, relationship: "OWNER" })),
    });
  });
}
