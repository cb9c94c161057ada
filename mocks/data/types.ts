/**
 * The mock banks' canonical data: one model that the seeded generator fills and each mock bank
 * renders in its own wire format. Amounts are integer minor units (cents); signed from the
 * account holder's view (negative = money out).
 */

export type MockAccountKind = "checking" | "savings" | "credit_card" | "charge_card" | "wallet";

export interface MockAddress {
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface MockCustomer {
  id: string;
  username: string;
  password: string;
  name: string;
  email: string;
  phone: string;
  address: MockAddress;
}

export interface MockAccount {
  id: string;
  customerId: string;
  kind: MockAccountKind;
  name: string;
  /** The full account or card number. Mocks may send it (real banks do); the gateway must mask it. */
  number: string;
  currency: string;
  /** Credit limit for credit cards; null otherwise (charge cards have no preset limit). */
  creditLimitMinor: number | null;
  openedOn: string;
}

export interface MockMerchant {
  name: string;
  mcc: string;
  category: string;
  online: boolean;
}

/** One purchase, deposit or payment, as it happened. */
export interface MockTransaction {
  id: string;
  accountId: string;
  amountMinor: number;
  description: string;
  merchant: MockMerchant | null;
  category: string;
  /** When the purchase was authorized (card) or initiated. */
  authorizedAt: Date;
  /** When it posted; null while still pending. */
  postedAt: Date | null;
  /** ID of the pending authorization this transaction went through first, if it did. */
  pendingId: string | null;
  receiptId: string | null;
}

/** A row as a bank lists it: either a pending authorization or a posted transaction. */
export interface MockTransactionRecord {
  id: string;
  accountId: string;
  status: "pending" | "posted";
  amountMinor: number;
  description: string;
  merchant: MockMerchant | null;
  category: string;
  /** The date the bank files it under: authorization time while pending, posting time once posted. */
  date: Date;
  authorizedAt: Date;
  postedAt: Date | null;
  /** On posted records: the pending record this one replaced. */
  pendingId: string | null;
  receiptId: string | null;
}

export type MockShipmentStatus = "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception";

export interface MockShipmentUpdate {
  status: MockShipmentStatus;
  at: Date;
  location: string | null;
  message: string | null;
}

export interface MockShipment {
  carrier: string;
  trackingNumber: string;
  status: MockShipmentStatus;
  estimatedDelivery: string | null;
  /** Scans, oldest first, none after the mock clock's now. */
  updates: MockShipmentUpdate[];
  /** The one route the parcel travels ("City, ST" each): scans happen only at these places. */
  route: { origin: string; hub: string; destination: string };
}

export interface MockLineItem {
  description: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface MockReceipt {
  id: string;
  transactionId: string;
  accountId: string;
  merchantName: string;
  issuedAt: Date;
  items: MockLineItem[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  shipment: MockShipment | null;
}

export interface MockBalance {
  accountId: string;
  /** Deposit accounts: money in the account. Cards: amount owed (positive). */
  currentMinor: number;
  availableMinor: number | null;
  limitMinor: number | null;
  asOf: Date;
}
