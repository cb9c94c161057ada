/**
 * PayPal wire → domain. Pure functions over bodies that `wire.ts` has already validated.
 */
import {
  AccountType,
  ShipmentStatus,
  TransactionStatus,
  type Account,
  type AccountOwner,
  type Balance,
  type Receipt,
  type Shipment,
  type Transaction,
} from "../../domain/model.js";
import { moneyFromDecimal, moneyFromMinor, minorFromDecimal, type Money } from "../../domain/money.js";
import { toE164 } from "../../domain/phone.js";
import { normalizePostalAddress, splitStreet } from "../../domain/postal-address.js";
import {
  PAYPAL_TIME,
  type PayPalAccount,
  type PayPalBalance,
  type PayPalMoney,
  type PayPalReceipt,
  type PayPalTracker,
  type PayPalTransaction,
  type PayPalUserinfo,
} from "./wire.js";

/** A PayPal timestamp as a Date; the wire schema has already checked the shape. */
export function fromPaypalTime(text: string): Date {
  const [, day, time, fraction = "", zone] = PAYPAL_TIME.exec(text)!;
  const offset = zone === "Z" ? "Z" : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
  return new Date(`${day}T${time}${fraction}${offset}`);
}

/** The start or end of a UTC day in PayPal's time format, for Transaction Search's range. */
export function toPaypalTime(day: string, end: boolean): string {
  return `${day}T${end ? "23:59:59" : "00:00:00"}+0000`;
}

function money(m: PayPalMoney): Money {
  return moneyFromDecimal(m.value, m.currency_code);
}

export function toAccount(wire: PayPalAccount): Account {
  return {
    id: wire.account_id,
    type: wire.account_type === "BALANCE" ? AccountType.WALLET : AccountType.CREDIT_CARD,
    name: wire.display_name,
    mask: wire.funding_instrument.last_digits.slice(-4),
    currency: wire.currency_code,
  };
}

export function toBalance(wire: PayPalBalance, asOf: Date): Balance {
  return {
    accountId: wire.account_id,
    current: money(wire.total_balance),
    available: wire.available_balance ? money(wire.available_balance) : null,
    limit: wire.credit_limit ? money(wire.credit_limit) : null,
    asOf,
  };
}

/** PayPal has no categories of its own; its event codes tell transfers and income apart. */
const EVENT_CATEGORY: Record<string, string> = { T0000: "INCOME", T0300: "TRANSFER", T0400: "TRANSFER" };

/** Whether a row moved money: denied (D) and reversed (V) payments are left out. */
export function isSettledOrPending(wire: PayPalTransaction): boolean {
  const status = wire.transaction_info.transaction_status;
  return status === "P" || status === "S";
}

export function toTransaction(wire: PayPalTransaction, accountId: string): Transaction {
  const info = wire.transaction_info;
  const posted = info.transaction_status === "S";
  // A payment's last update is its settlement, so the updated time is the date it is filed under.
  const filedAt = fromPaypalTime(info.transaction_updated_date);
  const payee = wire.payee_info;
  return {
    id: info.transaction_id,
    accountId,
    status: posted ? TransactionStatus.POSTED : TransactionStatus.PENDING,
    amount: money(info.transaction_amount),
    description: info.transaction_subject ?? payee?.business_name ?? info.transaction_event_code,
    merchant: payee ? { name: payee.business_name, categoryCode: payee.merchant_category_code ?? null } : null,
    category: payee?.business_category ?? EVENT_CATEGORY[info.transaction_event_code] ?? null,
    date: filedAt.toISOString().slice(0, 10),
    timestamp: filedAt,
    authorizedAt: fromPaypalTime(info.transaction_initiation_date),
    pendingTransactionId: posted ? (info.paypal_reference_id ?? null) : null,
    receiptId: info.invoice_id ?? null,
  };
}

/** PayPal Tracking API statuses, folded onto the gateway's five. */
const TRACKER_STATUS: Record<string, ShipmentStatus> = {
  NEW: ShipmentStatus.LABEL_CREATED,
  IN_PROCESS: ShipmentStatus.LABEL_CREATED,
  PROCESSED: ShipmentStatus.LABEL_CREATED,
  SHIPMENT_CREATED: ShipmentStatus.LABEL_CREATED,
  LABEL_PRINTED: ShipmentStatus.LABEL_CREATED,
  NOT_SHIPPED: ShipmentStatus.LABEL_CREATED,
  SHIPPED: ShipmentStatus.IN_TRANSIT,
  DROPPED_OFF: ShipmentStatus.IN_TRANSIT,
  IN_TRANSIT: ShipmentStatus.IN_TRANSIT,
  DELIVERY_SCHEDULED: ShipmentStatus.OUT_FOR_DELIVERY,
  DELIVERED: ShipmentStatus.DELIVERED,
  LOCAL_PICKUP: ShipmentStatus.DELIVERED,
  COMPLETED: ShipmentStatus.DELIVERED,
};

/** Anything else (on hold, returned, failed, cancelled, a status PayPal adds later) needs the user's eye. */
function shipmentStatus(status: string): ShipmentStatus {
  return TRACKER_STATUS[status] ?? ShipmentStatus.EXCEPTION;
}

/** PayPal's carrier enum is upper case; show the carriers' own spelling. */
const CARRIER_NAME: Record<string, string> = { FEDEX: "FedEx", UPS: "UPS", USPS: "USPS", DHL: "DHL" };

function toShipment(wire: PayPalTracker): Shipment {
  return {
    carrier: CARRIER_NAME[wire.carrier] ?? wire.carrier,
    trackingNumber: wire.tracking_number,
    status: shipmentStatus(wire.status),
    estimatedDelivery: wire.estimated_delivery_date ?? null,
    updates: wire.events.map((event) => ({
      status: shipmentStatus(event.status),
      at: fromPaypalTime(event.event_time),
      location: event.location ?? null,
      message: event.description ?? null,
    })),
  };
}

export function toReceipt(wire: PayPalReceipt): Receipt {
  const [tracker] = wire.trackers;
  return {
    id: wire.receipt_id,
    transactionId: wire.transaction_id,
    accountId: wire.account_id,
    merchantName: wire.invoicer.business_name,
    issuedAt: fromPaypalTime(wire.invoice_date),
    items: wire.item_details.map((item) => {
      const quantity = Number(item.item_quantity);
      const unitPrice = money(item.item_unit_price);
      const { currency } = unitPrice;
      return {
        description: item.item_name,
        quantity,
        unitPrice,
        total: item.item_amount ? money(item.item_amount) : moneyFromMinor(minorFromDecimal(unitPrice.amount, currency) * BigInt(quantity), currency),
        sku: item.item_code ?? null,
      };
    }),
    subtotal: money(wire.item_total),
    tax: wire.tax_amount ? money(wire.tax_amount) : null,
    total: money(wire.total_amount),
    shipment: tracker ? toShipment(tracker) : null,
  };
}

/** PayPal's identity is per user: every account the userinfo covers has the same owner. */
export function toOwners(wire: PayPalUserinfo, accountIds: readonly string[]): AccountOwner[] {
  const covered = new Set(wire.accounts.map((a) => a.account_id));
  const email = wire.emails.find((e) => e.primary) ?? wire.emails[0];
  const address = wire.address;
  const street = splitStreet(address?.street_address ?? "");
  return [...new Set(accountIds)]
    .filter((id) => covered.has(id))
    .map((accountId) => ({
      accountId,
      name: wire.name,
      email: email?.value ?? null,
      phone: wire.phone_number ? toE164(wire.phone_number) : null,
      address: address
        ? normalizePostalAddress({ ...street, city: address.locality, region: address.region, postalCode: address.postal_code, country: address.country })
        : null,
    }));
}
