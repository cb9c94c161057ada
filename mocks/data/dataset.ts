/**
 * One bank's data: customers, accounts, 24 months of transactions, receipts and balances,
 * generated deterministically from a seed and generated lazily per account (a mock bank with
 * 100k transactions in one account costs nothing until that account is read). Once generated,
 * an account's listing is indexed and kept sorted (record-index.ts) and its totals kept running
 * (ledger.ts), so a page or a balance never costs a pass over the whole history.
 * Nothing is dated after the bank's clock (clock.ts) at start: history ends at its "now".
 * Mutable, so that tests and the demo can make things happen (new pending purchase, posting,
 * shipment progress) and the bank can emit events about them.
 */
import { CITIES, DEFAULT_CUSTOMERS, DEFAULT_PASSWORD, MERCHANTS, PRODUCTS, RETAILERS } from "./catalog.js";
import { MockClock, startOfUtcDay, startingReading } from "./clock.js";
import { Ledger } from "./ledger.js";
import { SeededRandom, hashString } from "./random.js";
import { currentRecordOf, RecordIndex } from "./record-index.js";
import { nextScanPlace, placeOf, planShipment } from "./shipments.js";
import type {
  MockAccount,
  MockAccountKind,
  MockBalance,
  MockCustomer,
  MockReceipt,
  MockShipmentStatus,
  MockTransaction,
  MockTransactionRecord,
} from "./types.js";

const DAY = 86_400_000;

export interface MockProduct {
  kind: MockAccountKind;
  name: string;
}

export interface CustomerSpec {
  id: string;
  name?: string;
  /** Products held; defaults to the bank's product list. */
  products?: MockProduct[];
  /** Repeat the product list this many times (for scale tests). Default 1. */
  accountCopies?: number;
  /** Average transactions per account per day. Default 1.5. */
  transactionsPerDay?: number;
}

export interface DatasetOptions {
  bankId: string;
  products: MockProduct[];
  /** Whether this bank issues itemized receipts for online purchases. */
  receipts: boolean;
  /** Days of history. Default 730 (24 months). */
  historyDays?: number;
  /** The last day of history ("today"), as the start of its UTC day. Default: the UTC day of `now`. */
  anchor?: Date;
  /**
   * The bank clock's reading at start; history ends here. Default: the real time when no anchor
   * is given, otherwise the last millisecond of the anchor's day. The clock then runs in real time.
   */
  now?: Date;
  customers?: CustomerSpec[];
}

/** An account's generated history with its indexes. */
interface AccountHistory {
  /** Every transaction, in generation order; new purchases are added in front. */
  transactions: MockTransaction[];
  /** By own ID and by pending ID. */
  byId: Map<string, MockTransaction>;
  receipts: Map<string, MockReceipt>;
  receiptsNewestFirst: MockReceipt[];
  /** The listing without and with superseded pending rows, built on first use. */
  listings: Map<boolean, RecordIndex>;
  ledger: Ledger;
}

interface AccountState {
  account: MockAccount;
  density: number;
  history?: AccountHistory;
}

export class BankDataset {
  readonly bankId: string;
  readonly anchor: Date;
  readonly historyDays: number;
  /** The bank's clock: reads `historyEndsAt` at start, then runs in real time. */
  readonly clock: MockClock;
  private readonly receiptsEnabled: boolean;
  private readonly customers = new Map<string, MockCustomer>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly accountsByCustomer = new Map<string, string[]>();
  /** Receipt ID -> its account's ID, for every history generated so far (receipts are made only then). */
  private readonly receiptHolders = new Map<string, string>();
  private sequence = 0;

  constructor(options: DatasetOptions) {
    this.bankId = options.bankId;
    this.receiptsEnabled = options.receipts;
    this.historyDays = options.historyDays ?? 730;
    this.anchor = options.anchor ?? startOfUtcDay(options.now ?? new Date());
    this.clock = new MockClock(startingReading(this.anchor, { now: options.now, anchorGiven: options.anchor !== undefined }));
    const specs = options.customers ?? DEFAULT_CUSTOMERS.map((c) => ({ id: c.id, name: c.name }));
    for (const spec of specs) this.addCustomer(spec, options.products);
  }

  addCustomer(spec: CustomerSpec, defaultProducts: MockProduct[]): MockCustomer {
    const random = new SeededRandom(`${this.bankId}:customer:${spec.id}`);
    // One person at every bank: the same phone and home wherever they bank (each bank formats them its own way).
    const person = new SeededRandom(`person:${spec.id}`);
    const place = person.pick(CITIES);
    const name = spec.name ?? spec.id.replace(/(^|[-_])(\w)/g, (_, s: string, c: string) => `${s ? " " : ""}${c.toUpperCase()}`);
    const customer: MockCustomer = {
      id: spec.id,
      username: spec.id,
      password: DEFAULT_PASSWORD,
      name,
      email: `${spec.id}@example.com`,
      phone: `+1-555-${person.digits(3)}-${person.digits(4)}`,
      address: { line1: `${person.int(10, 999)} ${person.pick(["Market", "Main", "Oak", "Pine"])} St`, line2: null, ...place },
    };
    this.customers.set(customer.id, customer);
    const products = spec.products ?? defaultProducts;
    const ids: string[] = [];
    for (let copy = 0; copy < (spec.accountCopies ?? 1); copy++) {
      products.forEach((product, index) => {
        const n = copy * products.length + index;
        const id = `${this.bankId.slice(0, 3)}-${spec.id}-${n}-${hashString(`${this.bankId}${spec.id}${n}`).toString(36)}`;
        const isCard = product.kind === "credit_card" || product.kind === "charge_card";
        const account: MockAccount = {
          id,
          customerId: spec.id,
          kind: product.kind,
          name: copy === 0 ? product.name : `${product.name} ${copy + 1}`,
          number: isCard ? `4${random.digits(15)}` : random.digits(12),
          currency: "USD",
          creditLimitMinor: product.kind === "credit_card" ? random.int(50, 200) * 10_000 : null,
          openedOn: new Date(this.anchor.getTime() - (this.historyDays + random.int(30, 900)) * DAY).toISOString().slice(0, 10),
        };
        this.accounts.set(id, { account, density: spec.transactionsPerDay ?? 1.5 });
        ids.push(id);
      });
    }
    this.accountsByCustomer.set(customer.id, ids);
    return customer;
  }

  customer(id: string): MockCustomer | undefined {
    return this.customers.get(id);
  }

  /** The customer whose username and password these are, if any. */
  login(username: string, password: string): MockCustomer | undefined {
    const customer = this.customers.get(username);
    return customer && customer.password === password ? customer : undefined;
  }

  accountsOf(customerId: string): MockAccount[] {
    return (this.accountsByCustomer.get(customerId) ?? []).map((id) => this.state(id).account);
  }

  /** The account, only if it belongs to this customer (a bank never serves another customer's account). */
  accountOf(customerId: string, accountId: string): MockAccount | undefined {
    const state = this.accounts.get(accountId);
    return state && state.account.customerId === customerId ? state.account : undefined;
  }

  /** The bank clock's current reading. */
  now(): Date {
    return this.clock.now();
  }

  /** Where the generated history ends: the clock's reading at start. */
  get historyEndsAt(): Date {
    return this.clock.startsAt;
  }

  transactionsOf(accountId: string): MockTransaction[] {
    return this.history(accountId).transactions;
  }

  /**
   * The account's listing as a bank keeps it: newest first (filing date, then ID, descending),
   * indexed for paging. With `includeSupersededPending`, the pending authorization of an already
   * posted purchase is listed too (some banks keep it), dated at its authorization, so it always
   * sorts after the posted row that replaced it.
   */
  listing(accountId: string, includeSupersededPending: boolean): RecordIndex {
    const history = this.history(accountId);
    let index = history.listings.get(includeSupersededPending);
    if (!index) {
      index = new RecordIndex(history.transactions, includeSupersededPending);
      history.listings.set(includeSupersededPending, index);
    }
    return index;
  }

  /** Rows as the bank lists them, newest first, within [from, to] (a copy; see `listing` for paging). */
  recordsOf(accountId: string, options: { includeSupersededPending: boolean; from?: Date; to?: Date }): MockTransactionRecord[] {
    const index = this.listing(accountId, options.includeSupersededPending);
    const { start, end } = index.span(options.from, options.to);
    return index.slice(start, end);
  }

  receipt(receiptId: string): MockReceipt | undefined {
    // A page of rows with receipts asks once per row: a map read, not a walk over every account of the bank.
    const holder = this.receiptHolders.get(receiptId);
    if (holder !== undefined) return this.history(holder).receipts.get(receiptId);
    // Not in a history generated so far: its account is the one its ID starts with (whose history this generates).
    for (const state of this.accounts.values()) {
      if (!receiptId.startsWith(`r-${state.account.id}-`)) continue;
      return this.history(state.account.id).receipts.get(receiptId);
    }
    return undefined;
  }

  /** The account's receipts, newest first (a copy). */
  receiptsOf(accountId: string): MockReceipt[] {
    return this.history(accountId).receiptsNewestFirst.slice();
  }

  /**
   * Balance as of `now` (default: the bank's clock). The statement cycle is measured back from the
   * dataset's own "today" (its anchor) at the latest, so a clock far past the anchor still gives
   * cards an amount owed.
   */
  balanceOf(accountId: string, now = this.now()): MockBalance {
    const { account } = this.state(accountId);
    const { ledger } = this.history(accountId);
    const { postedMinor: posted, pendingMinor: pending } = ledger.totals();
    const today = Math.min(now.getTime(), this.anchor.getTime() + DAY);
    if (account.kind === "credit_card" || account.kind === "charge_card") {
      const owed = -ledger.postedSince(today - 30 * DAY);
      const current = Math.max(0, owed);
      const limit = account.creditLimitMinor;
      return {
        accountId,
        currentMinor: current,
        availableMinor: limit === null ? null : Math.max(0, limit - current + pending),
        limitMinor: limit,
        asOf: now,
      };
    }
    const current = ledger.openingMinor + posted;
    return { accountId, currentMinor: current, availableMinor: current + Math.min(0, pending), limitMinor: null, asOf: now };
  }

  /** A new pending purchase (for events and the demo). */
  addPendingPurchase(accountId: string, at: Date, amountMinor: number, merchantName = "Blue Bottle Coffee"): MockTransaction {
    const merchant = MERCHANTS.find((m) => m.name === merchantName) ?? MERCHANTS[0]!;
    return this.addLive(
      accountId,
      { amountMinor: -Math.abs(amountMinor), description: merchant.name.toUpperCase(), merchant, category: merchant.category },
      at,
      null,
    );
  }

  /** A new pending debit that is not a purchase (a payment the customer sent: its funds are held until it settles). */
  addPendingDebit(accountId: string, at: Date, amountMinor: number, description: string): MockTransaction {
    return this.addLive(accountId, { amountMinor: -Math.abs(amountMinor), description, merchant: null, category: "TRANSFER" }, at, null);
  }

  /** A new credit, posted at once (a payment that came back). */
  addPostedCredit(accountId: string, at: Date, amountMinor: number, description: string): MockTransaction {
    return this.addLive(accountId, { amountMinor: Math.abs(amountMinor), description, merchant: null, category: "TRANSFER" }, at, at);
  }

  /** Drops a still-pending transaction (by its own or its pending ID) without posting it: its hold on the funds ends. */
  releasePending(transactionId: string): MockTransaction | undefined {
    for (const state of this.accounts.values()) {
      const history = state.history;
      const t = history?.byId.get(transactionId);
      if (!history || !t || t.postedAt) continue;
      history.transactions.splice(history.transactions.indexOf(t), 1);
      history.byId.delete(t.id);
      if (t.pendingId) history.byId.delete(t.pendingId);
      for (const index of history.listings.values()) index.remove({ time: t.authorizedAt.getTime(), id: t.pendingId ?? t.id });
      history.ledger.released(t);
      return t;
    }
    return undefined;
  }

  private addLive(
    accountId: string,
    what: Pick<MockTransaction, "amountMinor" | "description" | "merchant" | "category">,
    at: Date,
    postedAt: Date | null,
  ): MockTransaction {
    const id = `t-${accountId}-live${++this.sequence}`;
    const t: MockTransaction = { id, accountId, ...what, authorizedAt: at, postedAt, pendingId: postedAt ? null : `${id}-auth`, receiptId: null };
    const history = this.history(accountId);
    history.transactions.unshift(t);
    history.byId.set(t.id, t);
    if (t.pendingId) history.byId.set(t.pendingId, t);
    for (const index of history.listings.values()) index.insert(currentRecordOf(t));
    history.ledger.add(t);
    return t;
  }

  /** Posts a pending purchase (by its own or its pending ID); returns it, now posted. */
  post(transactionId: string, at: Date): MockTransaction | undefined {
    for (const state of this.accounts.values()) {
      const history = state.history;
      const t = history?.byId.get(transactionId);
      if (history && t && !t.postedAt) {
        t.postedAt = at;
        for (const index of history.listings.values()) index.posted(t);
        history.ledger.posted(t);
        return t;
      }
    }
    return undefined;
  }

  /** Moves a receipt's shipment to a new status, scanned along its route unless `location` says where; returns the receipt. */
  advanceShipment(receiptId: string, status: MockShipmentStatus, at: Date, location?: string | null): MockReceipt | undefined {
    const receipt = this.receipt(receiptId);
    if (!receipt?.shipment) return undefined;
    const place = location === undefined ? nextScanPlace(receipt.shipment, status) : location;
    receipt.shipment.status = status;
    receipt.shipment.updates.push({ status, at, location: place, message: null });
    return receipt;
  }

  private state(accountId: string): AccountState {
    const state = this.accounts.get(accountId);
    if (!state) throw new Error(`No such mock account: ${accountId}`);
    return state;
  }

  private history(accountId: string): AccountHistory {
    const state = this.state(accountId);
    if (!state.history) {
      state.history = this.generate(state);
      for (const receiptId of state.history.receipts.keys()) this.receiptHolders.set(receiptId, accountId);
    }
    return state.history;
  }

  private generate(state: AccountState): AccountHistory {
    const { account } = state;
    const endsAt = this.historyEndsAt.getTime();
    const owner = this.customers.get(account.customerId)!;
    const transactions: MockTransaction[] = [];
    const receipts = new Map<string, MockReceipt>();
    const isCard = account.kind === "credit_card" || account.kind === "charge_card";
    // Dated at or before the clock's reading, or not at all; settled only if it settled by then.
    const keep = (t: MockTransaction) => {
      if (t.authorizedAt.getTime() > endsAt) return false;
      if (t.postedAt && t.postedAt.getTime() > endsAt) t.postedAt = null;
      transactions.push(t);
      return true;
    };
    for (let day = 0; day < this.historyDays; day++) {
      const date = new Date(this.anchor.getTime() - day * DAY);
      const dayKey = date.toISOString().slice(0, 10);
      const random = new SeededRandom(`${this.bankId}:${account.id}:${dayKey}`);
      const count = Math.floor(state.density) + (random.chance(state.density % 1) ? 1 : 0);
      for (let n = 0; n < count; n++) {
        const id = `t-${account.id}-${dayKey.replaceAll("-", "")}-${n}`;
        const authorizedAt = new Date(date.getTime() + random.int(7 * 3600, 22 * 3600) * 1000);
        const merchant = account.kind === "savings" ? null : random.pick(this.receiptsEnabled && random.chance(0.3) ? RETAILERS : MERCHANTS);
        const lagDays = random.int(1, 3);
        const postedAt = new Date(authorizedAt.getTime() + lagDays * DAY);
        if (!merchant) {
          const amountMinor = random.chance(0.5) ? random.int(2_000, 50_000) : -random.int(1_000, 20_000);
          keep({
            id,
            accountId: account.id,
            amountMinor,
            description: amountMinor > 0 ? "TRANSFER FROM CHECKING" : "TRANSFER TO CHECKING",
            merchant: null,
            category: "TRANSFER",
            authorizedAt,
            postedAt: new Date(authorizedAt.getTime() + DAY),
            pendingId: null,
            receiptId: null,
          });
          continue;
        }
        if (!isCard && day % 14 === 0 && n === 0) {
          keep({
            id,
            accountId: account.id,
            amountMinor: random.int(180_000, 320_000),
            description: "PAYROLL ACME CORP",
            merchant: null,
            category: "INCOME",
            authorizedAt,
            postedAt: authorizedAt,
            pendingId: null,
            receiptId: null,
          });
          continue;
        }
        let amountMinor = -random.int(300, merchant.category === "TRAVEL" ? 60_000 : 12_000);
        let receipt: MockReceipt | undefined;
        if (this.receiptsEnabled && merchant.online && PRODUCTS[merchant.name]) {
          receipt = this.makeReceipt(
            random,
            `r-${account.id}-${dayKey.replaceAll("-", "")}-${n}`,
            id,
            account.id,
            merchant.name,
            authorizedAt,
            placeOf(owner.address),
          );
          amountMinor = -receipt.totalMinor;
        }
        const purchase: MockTransaction = {
          id,
          accountId: account.id,
          amountMinor,
          description: merchant.name.toUpperCase(),
          merchant,
          category: merchant.category,
          authorizedAt,
          postedAt,
          pendingId: `${id}-auth`,
          receiptId: receipt?.id ?? null,
        };
        if (keep(purchase) && receipt) {
          receipts.set(receipt.id, receipt);
          followTransaction(receipt, purchase);
        }
      }
    }
    const byId = new Map<string, MockTransaction>();
    for (const t of transactions) {
      byId.set(t.id, t);
      if (t.pendingId) byId.set(t.pendingId, t);
    }
    const receiptsNewestFirst = [...receipts.values()].sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());
    const cushion = (hashString(`${account.id}:opening`) % 400_000) + 150_000;
    return { transactions, byId, receipts, receiptsNewestFirst, listings: new Map(), ledger: new Ledger(transactions, cushion) };
  }

  private makeReceipt(
    random: SeededRandom,
    id: string,
    transactionId: string,
    accountId: string,
    merchantName: string,
    issuedAt: Date,
    shipTo: string,
  ): MockReceipt {
    const catalog = PRODUCTS[merchantName] ?? [];
    const items = Array.from({ length: random.int(1, 3) }, () => {
      const product = random.pick(catalog);
      return { description: product.description, sku: product.sku, quantity: random.int(1, 2), unitPriceMinor: product.priceMinor };
    });
    const subtotalMinor = items.reduce((sum, item) => sum + item.quantity * item.unitPriceMinor, 0);
    const taxMinor = Math.round(subtotalMinor * 0.0825);
    // The parcel has its own seed: planning it never shifts the day's other draws.
    const shipment =
      issuedAt.getTime() <= this.historyEndsAt.getTime() ? planShipment(`${id}:shipment`, merchantName, issuedAt, shipTo, this.historyEndsAt) : null;
    return { id, transactionId, accountId, merchantName, issuedAt, items, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor, shipment };
  }
}

/**
 * A receipt names the row its purchase is listed as *now*: the pending authorization until the
 * purchase posts, the posted transaction after — so a client can always follow it with node(id).
 */
function followTransaction(receipt: MockReceipt, purchase: MockTransaction): void {
  Object.defineProperty(receipt, "transactionId", {
    enumerable: true,
    get: () => (purchase.postedAt || !purchase.pendingId ? purchase.id : purchase.pendingId),
  });
}
