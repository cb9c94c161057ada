/**
 * Amex wire → domain. Pure functions over bodies that `wire.ts` has already validated.
 */
import {
  AccountType,
  ShipmentStatus,
  TransactionStatus,
  type Account,
  type AccountOwner,
  type Balance,
  type Receipt,
  type Transaction,
} from "../../domain/model.js";
import { minorFromDecimal, moneyFromDecimal, moneyFromMinor, negate, type Money } from "../../domain/money.js";
import { toE164 } from "../../domain/phone.js";
import { normalizePostalAddress } from "../../domain/postal-address.js";
import { amountDecimal, type AmexAccount, type AmexAmount, type AmexBalance, type AmexProfile, type AmexReceipt, type AmexTransaction } from "./wire.js";

function money(amount: AmexAmount): Money {
  return moneyFromDecimal(amountDecimal(amount), amount.currency);
}

/** `YYYYMMDD` → `YYYY-MM-DD`. */
function isoDate(date: string): string {
  return `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
}

/** `YYYYMMDD` + `HHMMSS` (UTC) → Date. */
function instant(date: string, time: string): Date {
  return new Date(`${isoDate(date)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`);
}

/** `YYYY-MM-DD` → Amex's `YYYYMMDD`. */
export function toAmexDate(day: string): string {
  return day.replaceAll("-", "");
}

const ACCOUNT_TYPE: Record<AmexAccount["product"]["type"], AccountType> = {
  CHARGE: AccountType.CHARGE_CARD,
  CREDIT: AccountType.CREDIT_CARD,
  CHECKING: AccountType.CHECKING,
  SAVINGS: AccountType.SAVINGS,
};

export function toAccount(wire: AmexAccount): Account {
  return {
    id: wire.account_token,
    type: ACCOUNT_TYPE[wire.product.type],
    name: wire.product.name,
    mask: wire.last_four.slice(-4),
    currency: wire.currency_code,
  };
}

export function toBalance(wire: AmexBalance): Balance {
  const statement = money(wire.statement_balance);
  const paid = money(wire.payments_credits);
  // What the member owes now: the statement balance less what was paid or credited since.
  const owed = minorFromDecimal(statement.amount, statement.currency) - minorFromDecimal(paid.amount, paid.currency);
  return {
    accountId: wire.account_token,
    current: moneyFromMinor(owed, statement.currency),
    available: wire.available_credit ? money(wire.available_credit) : null,
    limit: wire.credit_limit ? money(wire.credit_limit) : null,
    asOf: instant(wire.as_of_date, wire.as_of_time),
  };
}

export function toTransaction(wire: AmexTransaction, accountId: string): Transaction {
  const posted = wire.status === "posted";
  const unsigned = money(wire.amount);
  return {
    id: wire.transaction_id,
    accountId,
    status: posted ? TransactionStatus.POSTED : TransactionStatus.PENDING,
    // A DEBIT is a charge: money out of the member's account.
    amount: wire.type === "DEBIT" ? negate(unsigned) : unsigned,
    description: wire.description,
    merchant: wire.merchant ? { name: wire.merchant.name, categoryCode: wire.merchant.mcc ?? null } : null,
    category: wire.category ?? null,
    date: isoDate(posted && wire.post_date ? wire.post_date : wire.charge_date),
    // Amex reports the time of the charge only, not of the posting.
    timestamp: instant(wire.charge_date, wire.charge_time),
    authorizedAt: instant(wire.charge_date, wire.charge_time),
    pendingTransactionId: posted ? (wire.authorization_id ?? null) : null,
    receiptId: wire.receipt_id ?? null,
  };
}

const SHIPMENT_STATUSES = new Set<string>(Object.values(ShipmentStatus));

/** Amex sends the carrier's status in lower snake case; anything unknown needs the user's eye. */
function shipmentStatus(status: string): ShipmentStatus {
  const upper = status.toUpperCase();
  return SHIPMENT_STATUSES.has(upper) ? (upper as ShipmentStatus) : ShipmentStatus.EXCEPTION;
}

export function toReceipt(wire: AmexReceipt): Receipt {
  const shipping = wire.shipping;
  return {
    id: wire.receipt_id,
    transactionId: wire.transaction_id,
    accountId: wire.account_token,
    merchantName: wire.merchant_name,
    issuedAt: instant(wire.purchase_date, wire.purchase_time),
    items: wire.line_items.map((item) => ({
      description: item.description,
      quantity: item.quantity,
      unitPrice: money(item.unit_price),
      total: money(item.total),
      sku: item.sku ?? null,
    })),
    subtotal: money(wire.subtotal),
    tax: wire.tax ? money(wire.tax) : null,
    total: money(wire.total),
    shipment: shipping
      ? {
          carrier: shipping.carrier_name,
          trackingNumber: shipping.tracking_id,
          status: shipmentStatus(shipping.delivery_status),
          estimatedDelivery: shipping.estimated_delivery_date ? isoDate(shipping.estimated_delivery_date) : null,
          updates: shipping.scan_events.map((event) => ({
            status: shipmentStatus(event.status),
            at: instant(event.scan_date, event.scan_time),
            location: event.location ?? null,
            message: event.description ?? null,
          })),
        }
      : null,
  };
}

export function toOwner(wire: AmexProfile): AccountOwner {
  const address = wire.billing_address;
  return {
    accountId: wire.account_token,
    name: `${wire.name.first_name} ${wire.name.last_name}`.trim(),
    email: wire.email_address ?? null,
    phone: wire.phone_number ? toE164(wire.phone_number) : null,
    address: address
      ? normalizePostalAddress({
          line1: address.address_line_1,
          line2: address.address_line_2 ?? null,
          city: address.city,
          region: address.state_code,
          postalCode: address.postal_code,
          country: address.country_code,
        })
      : null,
  };
}
