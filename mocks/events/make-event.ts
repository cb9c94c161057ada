/**
 * Makes an event happen at a mock bank: changes the bank's data where the event is a change
 * (a new pending purchase, a posting, a shipment moving on) and returns the event describing the
 * data as it is afterwards. Used by the admin endpoint (tests) and the demo timer.
 */
import { randomUUID } from "node:crypto";
import type { BankDataset } from "../data/dataset.js";
import { currentRecordOf as recordOf } from "../data/record-index.js";
import type { MockAccount, MockCustomer, MockShipmentStatus, MockTransaction } from "../data/types.js";
import type { MockBankEvent, MockEventChange, MockEventKind } from "./mock-bank-event.js";

/** What to make happen. Everything but `kind` has a default. */
export interface MockEventRequest {
  kind: MockEventKind;
  /** Default "alice". */
  customer?: string;
  /** One of the customer's accounts; default their first (for shipments: the first with receipts). */
  accountId?: string;
  /** Purchase amount in cents (positive), for new purchases and fraud alerts. */
  amountMinor?: number;
  /** A merchant from the catalog, for new purchases. */
  merchant?: string;
  /** transaction_posted: the pending purchase to post (its listed ID); default a new purchase, posted at once. */
  transactionId?: string;
  /** shipment_updated: the receipt; default the customer's newest receipt whose shipment is not delivered. */
  receiptId?: string;
  /** shipment_updated: the new status; default the next step. */
  status?: MockShipmentStatus;
}

/** A request the bank cannot act on; `status` is the admin endpoint's HTTP answer. */
export class MockEventError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

const NEXT_STEP: Partial<Record<MockShipmentStatus, MockShipmentStatus>> = {
  label_created: "in_transit",
  in_transit: "out_for_delivery",
  out_for_delivery: "delivered",
  exception: "in_transit",
};

/** Applies the request to the bank's data and returns the resulting event, dated by the bank's clock unless `at` says otherwise. */
export function makeEvent(data: BankDataset, options: { receipts: boolean }, request: MockEventRequest, at = data.now()): MockBankEvent {
  const customer = data.customer(request.customer ?? "alice");
  if (!customer) throw new MockEventError(404, `No customer ${request.customer}`);
  const accounts = data.accountsOf(customer.id);
  const account = request.accountId ? data.accountOf(customer.id, request.accountId) : accounts[0];
  if (!account) throw new MockEventError(404, `No account ${request.accountId ?? ""} for ${customer.id}`);
  const event = (on: MockAccount, change: MockEventChange): MockBankEvent => ({ id: randomUUID(), at, customer, account: on, change });
  const purchase = () => data.addPendingPurchase(account.id, at, request.amountMinor ?? 2_450, request.merchant);

  switch (request.kind) {
    case "balance_changed":
      return event(account, { kind: "balance_changed", balance: data.balanceOf(account.id, at) });
    case "transaction_pending":
      return event(account, { kind: "transaction_pending", record: recordOf(purchase()) });
    case "transaction_posted": {
      const pending = request.transactionId ? findPending(data, accounts, request.transactionId) : purchase();
      if (!pending) throw new MockEventError(404, `No pending transaction ${request.transactionId} for ${customer.id}`);
      data.post(pending.id, at);
      return event(accountOf(accounts, pending.accountId), { kind: "transaction_posted", record: recordOf(pending) });
    }
    case "shipment_updated":
      return shipmentEvent(data, options, request, customer, request.accountId ? [account] : accounts, at, event);
    case "fraud_alert": {
      const suspicious = data.addPendingPurchase(account.id, at, request.amountMinor ?? 189_900, request.merchant ?? "Contoso Electronics");
      const record = recordOf(suspicious);
      return event(account, {
        kind: "fraud_alert",
        alert: {
          id: randomUUID(),
          transactionId: record.id,
          severity: "high",
          reason: "Unusual card-not-present purchase",
          amountMinor: record.amountMinor,
          merchantName: record.merchant?.name ?? null,
        },
      });
    }
  }
}

function accountOf(accounts: MockAccount[], id: string): MockAccount {
  return accounts.find((a) => a.id === id)!;
}

/** A still-pending transaction of one of these accounts, by its listed (pending) ID or its own. */
function findPending(data: BankDataset, accounts: MockAccount[], transactionId: string): MockTransaction | undefined {
  for (const account of accounts) {
    const found = data.transactionsOf(account.id).find((t) => !t.postedAt && (t.pendingId === transactionId || t.id === transactionId));
    if (found) return found;
  }
  return undefined;
}

function shipmentEvent(
  data: BankDataset,
  options: { receipts: boolean },
  request: MockEventRequest,
  customer: MockCustomer,
  accounts: MockAccount[],
  at: Date,
  event: (on: MockAccount, change: MockEventChange) => MockBankEvent,
): MockBankEvent {
  if (!options.receipts) throw new MockEventError(409, `${data.bankId} issues no receipts`);
  const receipts = accounts.flatMap((a) => data.receiptsOf(a.id));
  const receipt = request.receiptId
    ? receipts.find((r) => r.id === request.receiptId)
    : receipts.filter((r) => r.shipment && r.shipment.status !== "delivered").sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime())[0];
  if (!receipt?.shipment) throw new MockEventError(404, `No receipt with a shipment to update for ${customer.id}`);
  const status = request.status ?? NEXT_STEP[receipt.shipment.status];
  if (!status) throw new MockEventError(409, `Receipt ${receipt.id} is already delivered`);
  const updated = data.advanceShipment(receipt.id, status, at)!;
  return event(accountOf(accounts, receipt.accountId), { kind: "shipment_updated", receipt: updated });
}
