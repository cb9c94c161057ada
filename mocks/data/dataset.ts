/**
 * One bank's data: customers, accounts, 24 months of transactions, receipts and balances,
 * generated deterministically from a seed and generated lazily per account (a mock bank with
 * 100k transactions in one account costs nothing until that account is read).
 * Mutable, so that tests and the demo can make things happen (new pending purchase, posting,
 * shipment progress) and the bank can emit events about them.
 */
import { CARRIERS, CITIES, DEFAULT_CUSTOMERS, DEFAULT_PASSWORD, MERCHANTS, PRODUCTS, RETAILERS } from "./catalog.js";
import { SeededRandom, hashString } from "./random.js";
import type {
  MockAccount,
  MockAccountKind,
  MockBalance,
  MockCustomer,
  MockReceipt,
  MockShipment,
  MockShipmentStatus,
  MockShipmentUpdate,
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
  /** End of history: "today". Default: the start of the current UTC day. */
  anchor?: Date;
  customers?: CustomerSpec[];
}

interface AccountState {
  account: MockAccount;
  density: number;
  transactions?: MockTransaction[];
  receipts?: Map<string, MockReceipt>;
}

export class BankDataset {
  readonly bankId: string;
  readonly anchor: Date;
  readonly historyDays: number;
  private readonly receiptsEnabled: boolean;
  private readonly customers = new Map<string, MockCustomer>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly accountsByCustomer = new Map<string, string[]>();
  private sequence = 0;

  constructor(options: DatasetOptions) {
    this.bankId = options.bankId;
    this.receiptsEnabled = options.receipts;
    this.historyDays = options.historyDays ?? 730;
    const today = new Date();
    this.anchor = options.anchor ?? new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    const specs = options.customers ?? DEFAULT_CUSTOMERS.map((c) => ({ id: c.id, name: c.name }));
    for (const spec of specs) this.addCustomer(spec, options.products);
  }

  addCustomer(spec: CustomerSpec, defaultProducts: MockProduct[]): MockCustomer {
    const random = new SeededRandom(`${this.bankId}:customer:${spec.id}`);
    const place = random.pick(CITIES);
    const name = spec.name ?? spec.id.replace(/(^|[-_])(\w)/g, (_, s: string, c: string) => `${s ? " " : ""}${c.toUpperCase()}`);
    const customer: MockCustomer = {
      id: spec.id,
      username: spec.id,
      password: DEFAULT_PASSWORD,
      name,
      email: `${spec.id}@example.com`,
      phone: `+1-555-${random.digits(3)}-${random.digits(4)}`,
      address: { line1: `${random.int(10, 999)} ${random.pick(["Market", "Main", "Oak", "Pine"])} St`, line2: null, ...place },
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

  transactionsOf(accountId: string): MockTransaction[] {
    const state = this.state(accountId);
    if (!state.transactions) this.generate(state);
    return state.transactions!;
  }

  /**
   * Rows as the bank lists them, newest first. With `includeSupersededPending`, the pending
   * authorization of an already posted purchase is listed too (some banks keep it), dated at
   * its authorization, so it always sorts after the posted row that replaced it.
   */
  recordsOf(accountId: string, options: { includeSupersededPending: boolean; from?: Date; to?: Date }): MockTransactionRecord[] {
    const rows: MockTransactionRecord[] = [];
    for (const t of this.transactionsOf(accountId)) {
      const base = {
        accountId: t.accountId,
        amountMinor: t.amountMinor,
        description: t.description,
        merchant: t.merchant,
        category: t.category,
        authorizedAt: t.authorizedAt,
        receiptId: t.receiptId,
      };
      if (t.postedAt) {
        rows.push({ ...base, id: t.id, status: "posted", date: t.postedAt, postedAt: t.postedAt, pendingId: t.pendingId });
        if (t.pendingId && options.includeSupersededPending) {
          rows.push({ ...base, id: t.pendingId, status: "pending", date: t.authorizedAt, postedAt: null, pendingId: null, receiptId: null });
        }
      } else {
        rows.push({ ...base, id: t.pendingId ?? t.id, status: "pending", date: t.authorizedAt, postedAt: null, pendingId: null });
      }
    }
    const from = options.from?.getTime() ?? -Infinity;
    const to = options.to?.getTime() ?? Infinity;
    return rows
      .filter((r) => r.date.getTime() >= from && r.date.getTime() <= to)
      .sort((a, b) => b.date.getTime() - a.date.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  receipt(receiptId: string): MockReceipt | undefined {
    for (const state of this.accounts.values()) {
      if (!receiptId.startsWith(`r-${state.account.id}-`)) continue;
      if (!state.transactions) this.generate(state);
      return state.receipts!.get(receiptId);
    }
    return undefined;
  }

  receiptsOf(accountId: string): MockReceipt[] {
    const state = this.state(accountId);
    if (!state.transactions) this.generate(state);
    return [...state.receipts!.values()].sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());
  }

  /**
   * Balance as of `now`. The statement cycle is measured back from the dataset's own "today" (its
   * anchor), so a fixed past anchor in tests still gives cards an amount owed. Deposit accounts
   * open with just enough money that their running balance never went below a small cushion.
   */
  balanceOf(accountId: string, now = new Date()): MockBalance {
    const { account } = this.state(accountId);
    const txns = this.transactionsOf(accountId);
    const today = Math.min(now.getTime(), this.anchor.getTime() + DAY);
    let posted = 0;
    let pending = 0;
    for (const t of txns) {
      if (t.postedAt) posted += t.amountMinor;
      else pending += t.amountMinor;
    }
    if (account.kind === "credit_card" || account.kind === "charge_card") {
      const cycleStart = today - 30 * DAY;
      const owed = -txns.filter((t) => t.postedAt && t.postedAt.getTime() >= cycleStart).reduce((sum, t) => sum + t.amountMinor, 0);
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
    const current = this.openingBalance(accountId, txns) + posted;
    return { accountId, currentMinor: current, availableMinor: current + Math.min(0, pending), limitMinor: null, asOf: now };
  }

  private openingBalance(accountId: string, txns: MockTransaction[]): number {
    const cushion = (hashString(`${accountId}:opening`) % 400_000) + 150_000;
    let running = 0;
    let lowest = 0;
    for (const t of [...txns].filter((x) => x.postedAt).sort((a, b) => a.postedAt!.getTime() - b.postedAt!.getTime())) {
      running += t.amountMinor;
      lowest = Math.min(lowest, running);
    }
    return cushion - lowest;
  }

  /** A new pending purchase (for events and the demo). */
  addPendingPurchase(accountId: string, at: Date, amountMinor: number, merchantName = "Blue Bottle Coffee"): MockTransaction {
    const merchant = MERCHANTS.find((m) => m.name === merchantName) ?? MERCHANTS[0]!;
    const id = `t-${accountId}-live${++this.sequence}`;
    const t: MockTransaction = {
      id,
      accountId,
      amountMinor: -Math.abs(amountMinor),
      description: merchant.name.toUpperCase(),
      merchant,
      category: merchant.category,
      authorizedAt: at,
      postedAt: null,
      pendingId: `${id}-auth`,
      receiptId: null,
    };
    this.transactionsOf(accountId).unshift(t);
    return t;
  }

  /** Posts a pending purchase; returns it, now posted. */
  post(transactionId: string, at: Date): MockTransaction | undefined {
    for (const state of this.accounts.values()) {
      const t = state.transactions?.find((x) => x.id === transactionId || x.pendingId === transactionId);
      if (t && !t.postedAt) {
        t.postedAt = at;
        return t;
      }
    }
    return undefined;
  }

  /** Moves a receipt's shipment to a new status; returns the receipt. */
  advanceShipment(receiptId: string, status: MockShipmentStatus, at: Date, location: string | null = null): MockReceipt | undefined {
    const receipt = this.receipt(receiptId);
    if (!receipt?.shipment) return undefined;
    receipt.shipment.status = status;
    receipt.shipment.updates.push({ status, at, location, message: null });
    return receipt;
  }

  private state(accountId: string): AccountState {
    const state = this.accounts.get(accountId);
    if (!state) throw new Error(`No such mock account: ${accountId}`);
    return state;
  }

  private generate(state: AccountState): void {
    const { account } = state;
    const transactions: MockTransaction[] = [];
    const receipts = new Map<string, MockReceipt>();
    const isCard = account.kind === "credit_card" || account.kind === "charge_card";
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
        const settled = authorizedAt.getTime() + lagDays * DAY <= this.anchor.getTime() + DAY - 1;
        const postedAt = settled ? new Date(authorizedAt.getTime() + lagDays * DAY) : null;
        if (!merchant) {
          const amountMinor = random.chance(0.5) ? random.int(2_000, 50_000) : -random.int(1_000, 20_000);
          transactions.push({ id, accountId: account.id, amountMinor, description: amountMinor > 0 ? "TRANSFER FROM CHECKING" : "TRANSFER TO CHECKING", merchant: null, category: "TRANSFER", authorizedAt, postedAt: new Date(authorizedAt.getTime() + DAY), pendingId: null, receiptId: null });
          continue;
        }
        if (!isCard && day % 14 === 0 && n === 0) {
          transactions.push({ id, accountId: account.id, amountMinor: random.int(180_000, 320_000), description: "PAYROLL ACME CORP", merchant: null, category: "INCOME", authorizedAt, postedAt: authorizedAt, pendingId: null, receiptId: null });
          continue;
        }
        let amountMinor = -random.int(300, merchant.category === "TRAVEL" ? 60_000 : 12_000);
        let receipt: MockReceipt | undefined;
        if (this.receiptsEnabled && merchant.online && PRODUCTS[merchant.name]) {
          receipt = this.makeReceipt(random, `r-${account.id}-${dayKey.replaceAll("-", "")}-${n}`, id, account.id, merchant.name, authorizedAt);
          receipts.set(receipt.id, receipt);
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
        transactions.push(purchase);
        if (receipt) followTransaction(receipt, purchase);
      }
    }
    state.transactions = transactions;
    state.receipts = receipts;
  }

  private makeReceipt(random: SeededRandom, id: string, transactionId: string, accountId: string, merchantName: string, issuedAt: Date): MockReceipt {
    const catalog = PRODUCTS[merchantName] ?? [];
    const items = Array.from({ length: random.int(1, 3) }, () => {
      const product = random.pick(catalog);
      return { description: product.description, sku: product.sku, quantity: random.int(1, 2), unitPriceMinor: product.priceMinor };
    });
    const subtotalMinor = items.reduce((sum, item) => sum + item.quantity * item.unitPriceMinor, 0);
    const taxMinor = Math.round(subtotalMinor * 0.0825);
    const ageDays = Math.floor((this.anchor.getTime() - issuedAt.getTime()) / DAY);
    return { id, transactionId, accountId, merchantName, issuedAt, items, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor, shipment: makeShipment(random, issuedAt, ageDays) };
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

const SHIPMENT_STEPS: MockShipmentStatus[] = ["label_created", "in_transit", "out_for_delivery", "delivered"];

function makeShipment(random: SeededRandom, issuedAt: Date, ageDays: number): MockShipment {
  const reached = random.chance(0.03) ? -1 : Math.min(SHIPMENT_STEPS.length - 1, Math.max(0, ageDays));
  const updates: MockShipmentUpdate[] = SHIPMENT_STEPS.slice(0, Math.max(1, reached + 1)).map((status, step) => ({
    status,
    at: new Date(issuedAt.getTime() + step * DAY + 3_600_000),
    location: step === 0 ? null : random.pick(CITIES).city,
    message: null,
  }));
  if (reached === -1) updates.push({ status: "exception", at: new Date(issuedAt.getTime() + DAY), location: null, message: "Address could not be verified" });
  return {
    carrier: random.pick(CARRIERS),
    trackingNumber: `1Z${random.digits(16)}`,
    status: updates[updates.length - 1]!.status,
    estimatedDelivery: new Date(issuedAt.getTime() + 4 * DAY).toISOString().slice(0, 10),
    updates,
  };
}
