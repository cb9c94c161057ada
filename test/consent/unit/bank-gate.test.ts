/**
 * The bank gate in isolation, over a counting fake bank: no decision, no bank call; a grant opens
 * a reader narrowed to its scope and to the history window; the access record follows a read that
 * succeeded, never one that failed; misuse gets a clear message.
 */
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { AccessRecorder } from "../../../src/consent/access-recorder.js";
import { openBank, type BankGateContext } from "../../../src/loaders/bank-gate.js";
import { ConsentView } from "../../../src/consent/consent-view.js";
import { ConsentStatus, type Scope } from "../../../src/domain/consent.js";
import { TransactionStatus, type Receipt, type Transaction } from "../../../src/domain/model.js";
import { RequestLinks, type RequestLinksDeps } from "../../../src/loaders/request-links.js";
import type { BankProvider, BankSession } from "../../../src/providers/contract.js";
import { UpstreamCache } from "../../../src/cache/upstream-cache.js";
import { LinkStatus, type Link } from "../../../src/domain/link.js";
import { consent, effective, T0 } from "./consent-fixtures.js";

const LINK = "00000000-0000-4000-8000-00000000000a";
const FOREIGN = "00000000-0000-4000-8000-0000000000ff";

const money = { amount: "1.00", currency: "USD" };
const tx = (id: string, date: string): Transaction =>
  ({
    id,
    accountId: "acc-1",
    status: TransactionStatus.POSTED,
    amount: money,
    description: id,
    merchant: null,
    category: null,
    date,
    timestamp: null,
    authorizedAt: null,
    pendingTransactionId: null,
    receiptId: null,
  }) satisfies Transaction;
const receipt = (id: string, issuedAt: string): Receipt =>
  ({
    id,
    transactionId: "t",
    accountId: "acc-1",
    merchantName: "m",
    issuedAt: new Date(issuedAt),
    items: [],
    subtotal: money,
    tax: null,
    total: money,
    shipment: null,
  }) satisfies Receipt;

/** A bank that counts its calls and can be told to fail. */
function fakeBank() {
  const calls: Array<{ kind: string; args: unknown }> = [];
  let failing = false;
  const call = async <T>(kind: string, args: unknown, value: T): Promise<T> => {
    calls.push({ kind, args });
    if (failing) throw new Error("bank down");
    return value;
  };
  const provider: BankProvider = {
    id: "chase",
    name: "Chase",
    capabilities: { receipts: true, identity: true, keepsReplacedPending: false },
    listAccounts: () => call("accounts", null, [{ id: "acc-1", type: "CHECKING", name: "Checking", mask: "1234", currency: "USD" }] as never),
    getBalances: (_s, ids) =>
      call(
        "balances",
        ids,
        ids.map((accountId) => ({ accountId, current: money, available: null, limit: null, asOf: T0 })),
      ),
    listTransactions: (_s, requests) =>
      call(
        "transactions",
        requests,
        requests.map((r) => ({
          accountId: r.accountId,
          items: [tx("new", "2026-03-14"), tx("edge", "2026-03-13"), tx("old", "2026-03-12")],
          nextCursor: null,
        })),
      ),
    getReceipts: (_s, ids) =>
      call(
        "receipts",
        ids,
        [receipt("r-new", "2026-03-14T10:00:00Z"), receipt("r-old", "2025-11-01T10:00:00Z")].filter((r) => ids.includes(r.id)),
      ),
    listReceipts: (_s, accountIds, limit) =>
      call("recentReceipts", [accountIds, limit], [receipt("r-new", "2026-03-14T10:00:00Z"), receipt("r-old", "2025-11-01T10:00:00Z")]),
    getOwners: (_s, ids) =>
      call(
        "owners",
        ids,
        ids.map((accountId) => ({ accountId, name: "Alice", email: null, phone: null, address: null })),
      ),
  };
  // As a real adapter does, every call puts the session's token on its request: `tokens` lists them.
  const tokens: string[] = [];
  const presenting = Object.fromEntries(
    Object.entries(provider).map(([key, value]) => [
      key,
      typeof value === "function" ? (session: BankSession, ...rest: unknown[]) => (tokens.push(session.accessToken), value(session, ...rest)) : value,
    ]),
  ) as unknown as BankProvider;
  return { provider: presenting, calls, tokens, fail: (on: boolean) => (failing = on) };
}

function gateFor(scopes: Scope[], options: { status?: ConsentStatus; historyDays?: number | null } = {}) {
  const bank = fakeBank();
  const decrypted: string[] = [];
  const link: Link = {
    id: LINK,
    userId: "user-1",
    institutionId: "chase",
    status: LinkStatus.ACTIVE,
    accessTokenCiphertext: "sealed",
    accessTokenExpiresAt: null,
    refreshTokenCiphertext: null,
    bankGrantId: null,
    accountIds: null,
    grantExpiresAt: null,
    createdAt: T0,
    updatedAt: T0,
  };
  const deps = {
    links: { listForUser: async () => [link], setStatus: async () => undefined },
    providers: { institutions: [{ id: "chase", name: "Chase" }], get: (id: string) => (id === "chase" ? bank.provider : undefined) },
    cipher: { decrypt: (ciphertext: string) => (decrypted.push(ciphertext), `token of ${ciphertext}`) },
  } as unknown as RequestLinksDeps;
  const c = consent({ linkId: LINK, scopes, status: options.status ?? ConsentStatus.AUTHORIZED, historyDays: options.historyDays ?? null });
  const context: BankGateContext = {
    links: new RequestLinks("user-1", deps),
    consents: new ConsentView(async () => new Map([[LINK, effective(c)]]), new ManualClock(T0)),
    access: new AccessRecorder(),
  };
  const recorded = () => context.access.drain({ userId: "user-1", clientId: "app-1", operationName: null, requestId: "r", at: T0 }).map((r) => r.scope);
  return { context, bank, recorded, link, deps, decrypted };
}

describe("no decision, no bank call", () => {
  it.each([
    ["NOT_GRANTED", ["balances:read"] as Scope[], ConsentStatus.AUTHORIZED],
    ["REVOKED", ["accounts:read"] as Scope[], ConsentStatus.REVOKED],
    ["AWAITING_AUTHORIZATION", ["accounts:read"] as Scope[], ConsentStatus.AWAITING_AUTHORIZATION],
  ])("denied (%s): the one UNAUTHORIZED_FIELD_OR_TYPE error, the bank never asked, nothing recorded", async (reason, scopes, status) => {
    const { context, bank, recorded } = gateFor(scopes, { status });
    const opened = openBank(context, { linkId: LINK }, "accounts:read", "Query.accounts");
    await expect(opened).rejects.toMatchObject({
      message: `Query.accounts needs consent for accounts:read at chase (${reason})`,
      extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE", requiredScopes: [["accounts:read"]], institutionId: "chase", reason },
    });
    expect(bank.calls).toEqual([]);
    expect(recorded()).toEqual([]);
  });

  it("a link that is not the caller's answers null, like a missing one, without asking the bank", async () => {
    const { context, bank } = gateFor(["accounts:read"]);
    expect(await openBank(context, { linkId: FOREIGN }, "accounts:read")).toBeNull();
    expect(bank.calls).toEqual([]);
  });
});

describe("a grant opens a reader for its scope only", () => {
  it("each scope's reader has its own reads and no other", async () => {
    const { context } = gateFor(["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read"]);
    const keys = async (scope: Parameters<typeof openBank>[2]) => Object.keys((await openBank(context, { linkId: LINK }, scope))!).sort();
    expect(await keys("accounts:read")).toEqual(["account", "accounts", "link"]);
    expect(await keys("balances:read")).toEqual(["balance", "link"]);
    expect(await keys("transactions:read")).toEqual(["holdsAccount", "keepsReplacedPending", "link", "page", "window"]);
    expect(await keys("receipts:read")).toEqual(["link", "receipt", "recentReceipts", "window"]);
    expect(await keys("identity:read")).toEqual(["link", "owner"]);
    const accounts = (await openBank(context, { linkId: LINK }, "accounts:read"))!;
    // @ts-expect-error an accounts:read reader cannot read balances: that needs its own decision.
    expect(accounts.balance).toBeUndefined();
  });

  it("records (link, scope) after a read succeeded, once however many reads", async () => {
    const { context, bank, recorded } = gateFor(["accounts:read", "balances:read"]);
    const accounts = (await openBank(context, { linkId: LINK }, "accounts:read"))!;
    expect(recorded()).toEqual([]); // opening is no delivery
    await accounts.accounts();
    await accounts.account("acc-1");
    const balances = (await openBank(context, { linkId: LINK }, "balances:read"))!;
    await balances.balance("acc-1");
    expect(recorded().sort()).toEqual(["accounts:read", "balances:read"]);
    expect(bank.calls.map((c) => c.kind)).toEqual(["accounts", "balances"]);
  });

  it("a read that failed leaves no record", async () => {
    const { context, bank, recorded } = gateFor(["balances:read"]);
    bank.fail(true);
    const balances = (await openBank(context, { linkId: LINK }, "balances:read"))!;
    await expect(balances.balance("acc-1")).rejects.toThrow("bank down");
    expect(recorded()).toEqual([]);
  });

  it("holdsAccount checks an ID without putting accounts:read on the record", async () => {
    const { context, recorded } = gateFor(["transactions:read"]);
    const transactions = (await openBank(context, { linkId: LINK }, "transactions:read"))!;
    expect(await transactions.holdsAccount("acc-1")).toBe(true);
    expect(await transactions.holdsAccount("nope")).toBe(false);
    expect(recorded()).toEqual([]);
  });
});

describe("the history window is part of the reader", () => {
  it("transactions: from raised to the window, rows before it dropped, a range wholly before it not even asked", async () => {
    const { context, bank, recorded } = gateFor(["transactions:read"], { historyDays: 2 });
    const transactions = (await openBank(context, { linkId: LINK }, "transactions:read"))!;
    expect(transactions.window).toEqual({ earliest: "2026-03-13" });
    const page = await transactions.page({ accountId: "acc-1", from: "2020-01-01", cursor: null, limit: 10 });
    expect(page.items.map((t) => t.id)).toEqual(["new", "edge"]);
    expect((bank.calls[0]!.args as Array<{ from: string }>)[0]!.from).toBe("2026-03-13");
    bank.calls.length = 0;
    expect(await transactions.page({ accountId: "acc-1", to: "2026-03-12", cursor: null, limit: 10 })).toEqual({
      accountId: "acc-1",
      items: [],
      nextCursor: null,
    });
    expect(bank.calls).toEqual([]);
    expect(recorded()).toEqual(["transactions:read"]);
  });

  it("receipts: one issued before the window is invisible by ID and in the recent list", async () => {
    const { context } = gateFor(["receipts:read"], { historyDays: 2 });
    const receipts = (await openBank(context, { linkId: LINK }, "receipts:read"))!;
    expect((await receipts.recentReceipts("acc-1", 10)).map((r) => r.id)).toEqual(["r-new"]);
    expect(await receipts.receipt("r-old")).toBeNull();
    expect((await receipts.receipt("r-new"))?.id).toBe("r-new");
  });

  it("without historyDays nothing is hidden", async () => {
    const { context } = gateFor(["receipts:read"]);
    const receipts = (await openBank(context, { linkId: LINK }, "receipts:read"))!;
    expect((await receipts.recentReceipts("acc-1", 10)).map((r) => r.id)).toEqual(["r-new", "r-old"]);
  });
});

describe("misuse gets a clear message", () => {
  it("a scope the gate has no reader for (events only, or not a data scope)", async () => {
    const { context, bank } = gateFor(["accounts:read"]);
    for (const scope of ["alerts:read", "consent:manage", "accounts:write"]) {
      await expect(openBank(context, { linkId: LINK }, scope as "accounts:read")).rejects.toThrow(`openBank: "${scope}" is not a readable data scope`);
    }
    expect(bank.calls).toEqual([]);
  });
});

describe("the bank token", () => {
  it("is decrypted once per link per request, again in the next request, and only for the ciphertext read from the store", async () => {
    const { context, bank, link, deps, decrypted } = gateFor(["accounts:read", "balances:read"]);
    const accounts = (await openBank(context, { linkId: LINK }, "accounts:read"))!;
    await accounts.accounts();
    await accounts.account("acc-1");
    await (await openBank(context, { linkId: LINK }, "balances:read"))!.balance("acc-1");
    expect(bank.calls.map((c) => c.kind)).toEqual(["accounts", "balances"]);
    expect(bank.tokens).toEqual(["token of sealed", "token of sealed"]);
    expect(decrypted).toEqual(["sealed"]);

    link.accessTokenCiphertext = "resealed"; // a re-link in the next request's store read
    const next = { ...context, links: new RequestLinks("user-1", deps) };
    await (await openBank(next, { linkId: LINK }, "balances:read"))!.balance("acc-1");
    expect(decrypted).toEqual(["sealed", "resealed"]);
    expect(bank.tokens.at(-1)).toBe("token of resealed");
  });

  it("is not decrypted for a read the upstream cache answers, and is again once the bank is called", async () => {
    const { context, bank, deps, decrypted } = gateFor(["balances:read"]);
    const clock = new ManualClock(T0);
    const cached = { ...deps, upstreamCache: new UpstreamCache({ ttlMs: 60_000, clock }) } as RequestLinksDeps;
    const request = () => ({ ...context, links: new RequestLinks("user-1", cached) });
    await (await openBank(request(), { linkId: LINK }, "balances:read"))!.balance("acc-1");
    expect(decrypted).toEqual(["sealed"]);

    await (await openBank(request(), { linkId: LINK }, "balances:read"))!.balance("acc-1");
    expect(bank.calls.map((c) => c.kind)).toEqual(["balances"]);
    expect(decrypted).toEqual(["sealed"]);

    await (await openBank(request(), { linkId: LINK }, "balances:read"))!.balance("acc-1", 0); // asks the bank now
    expect(bank.calls.map((c) => c.kind)).toEqual(["balances", "balances"]);
    expect(decrypted).toEqual(["sealed", "sealed"]);
    expect(bank.tokens).toEqual(["token of sealed", "token of sealed"]);
  });

  it("is refused, without decrypting, once the link is no longer active", async () => {
    const { context, link, decrypted } = gateFor(["balances:read"]);
    const balances = (await openBank(context, { linkId: LINK }, "balances:read"))!;
    await balances.balance("acc-1");
    link.status = LinkStatus.LOGIN_REQUIRED;
    await expect(balances.balance("acc-1", 0)).rejects.toMatchObject({ failure: "LOGIN_REQUIRED" });
    expect(decrypted).toEqual(["sealed"]);
  });
});
