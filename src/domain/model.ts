/**
 * The gateway's domain model: what every provider adapter translates its bank's wire format into.
 * Plain data, no GraphQL. IDs here are the bank's own (provider-local) IDs; the schema layer turns
 * them into opaque global IDs scoped to a link.
 */
import type { Money } from "./money.js";

export type InstitutionId = string;

export enum AccountType {
  CHECKING = "CHECKING",
  SAVINGS = "SAVINGS",
  CREDIT_CARD = "CREDIT_CARD",
  CHARGE_CARD = "CHARGE_CARD",
  WALLET = "WALLET",
}

export interface Account {
  /** The bank's own account ID (never the account number). */
  id: string;
  type: AccountType;
  name: string;
  /** Last four digits of the account or card number; the full number never leaves an adapter. */
  mask: string;
  currency: string;
}

export interface Balance {
  accountId: string;
  current: Money;
  available: Money | null;
  /** Credit limit, for credit and charge cards that have one. */
  limit: Money | null;
  /** When the bank computed this balance. */
  asOf: Date;
}

export enum TransactionStatus {
  PENDING = "PENDING",
  POSTED = "POSTED",
}

export interface Merchant {
  name: string;
  /** ISO 18245 merchant category code, where the bank sends one. */
  categoryCode: string | null;
}

export interface Transaction {
  id: string;
  accountId: string;
  status: TransactionStatus;
  /** Signed from the account holder's view: negative = money out of the account. */
  amount: Money;
  description: string;
  merchant: Merchant | null;
  category: string | null;
  /** Calendar date the bank files the transaction under (authorization date while pending, posting date once posted). */
  date: string;
  /** Exact time the bank reports, when it reports one. */
  timestamp: Date | null;
  /**
   * When the purchase was authorized — the time its pending row is filed under — as the bank
   * reports it (also on a posted row; null where the bank does not say). Lets a walk of pages
   * tell whether it already listed the pending row a posting replaced.
   */
  authorizedAt: Date | null;
  /** On a posted transaction: the bank ID of the pending transaction it replaces. */
  pendingTransactionId: string | null;
  /** The bank ID of the receipt that belongs to this transaction, where the bank has one. */
  receiptId: string | null;
}

export interface LineItem {
  description: string;
  quantity: number;
  unitPrice: Money;
  total: Money;
  sku: string | null;
}

export enum ShipmentStatus {
  LABEL_CREATED = "LABEL_CREATED",
  IN_TRANSIT = "IN_TRANSIT",
  OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY",
  DELIVERED = "DELIVERED",
  EXCEPTION = "EXCEPTION",
}

export interface ShipmentUpdate {
  status: ShipmentStatus;
  at: Date;
  location: string | null;
  message: string | null;
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
  status: ShipmentStatus;
  estimatedDelivery: string | null;
  updates: ShipmentUpdate[];
}

export interface Receipt {
  id: string;
  transactionId: string;
  accountId: string;
  merchantName: string;
  issuedAt: Date;
  items: LineItem[];
  subtotal: Money;
  tax: Money | null;
  total: Money;
  shipment: Shipment | null;
}

export interface PostalAddress {
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface AccountOwner {
  accountId: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: PostalAddress | null;
}
