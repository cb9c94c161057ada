/**
 * The access log's verifier, without a store: by example (each reason a log can fail for, and the
 * signed head's checks) and by property (fast-check): any intact chain verifies; ANY single
 * deletion, edit, reorder or cut-off tail is detected, and named at the first place it breaks.
 */
import fc from "fast-check";
import { CompactSign, exportJWK, generateKeyPair, type JSONWebKeySet } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_LOG_HEAD_TYP, type AccessLogHeadPayload } from "../../src/access-log/access-log-head.js";
import { parseAccessLogExport, toAccessLogExport } from "../../src/access-log/access-log-export.js";
import { ChainBreakReason, verifyAccessChain, verifyAccessLog, type ExpectedHead } from "../../src/access-log/verify-access-chain.js";
import { accessRecordHash, chainAfter, GENESIS_HASH, type AccessRecord, type ChainedAccessRecord } from "../../src/domain/access-record.js";

const USER = "alice-1";

const accessRecord: fc.Arbitrary<AccessRecord> = fc.record({
  userId: fc.constant(USER),
  clientId: fc.string({ minLength: 1, maxLength: 12 }),
  linkId: fc.uuid(),
  institutionId: fc.constantFrom("chase", "wells_fargo", "citi", "us_bank", "paypal", "amex"),
  consentId: fc.option(fc.uuid(), { nil: null }),
  scope: fc.constantFrom("accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read"),
  purpose: fc.constantFrom("ACCOUNT_OVERVIEW", "BUDGETING"),
  operationName: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
  requestId: fc.string({ minLength: 1, maxLength: 16 }),
  at: fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true }),
});

function chainOf(records: readonly AccessRecord[]): ChainedAccessRecord[] {
  const chain: ChainedAccessRecord[] = [];
  for (const record of records) chain.push(chainAfter(chain.at(-1) ?? { seq: 0, hash: GENESIS_HASH }, record));
  return chain;
}

const chains = fc.array(accessRecord, { minLength: 1, maxLength: 12 }).map(chainOf);
const tipOf = (chain: readonly ChainedAccessRecord[]): ExpectedHead => ({ seq: chain.at(-1)!.seq, hash: chain.at(-1)!.hash, label: "the signed head" });

type Field = keyof ChainedAccessRecord;
const FIELDS: Field[] = [
  "userId",
  "clientId",
  "linkId",
  "institutionId",
  "consentId",
  "scope",
  "purpose",
  "operationName",
  "requestId",
  "at",
  "seq",
  "prevHash",
  "hash",
];

/** The record with one field changed to a value that differs (also once lower-cased, as ids are hashed). */
function edited(record: ChainedAccessRecord, field: Field, by: number): ChainedAccessRecord {
  const value = record[field];
  if (field === "seq") return { ...record, seq: record.seq + (by % 2 === 0 ? by + 1 : -(by + 1)) };
  if (field === "at") return { ...record, at: new Date(record.at.getTime() + by + 1) };
  return { ...record, [field]: value === null ? `x${by}` : `${String(value)}x` };
}

describe("verifyAccessChain, by example", () => {
  const chain = chainOf(
    Array.from({ length: 5 }, (_, i) => ({
      userId: USER,
      clientId: "messenger",
      linkId: "6f1c9a52-8a35-4c8b-9f0e-3f1f6b0e2d11",
      institutionId: "chase",
      consentId: "0b7e3c1a-2d4f-4e5a-9b6c-7d8e9f0a1b2c",
      scope: "balances:read",
      purpose: "ACCOUNT_OVERVIEW",
      operationName: "Dashboard",
      requestId: `req-${i}`,
      at: new Date(Date.UTC(2026, 11, 3, 12, 0, i)),
    })),
  );

  it("an intact chain verifies, with and without its head; an empty log is intact", () => {
    expect(verifyAccessChain(USER, chain)).toEqual({ ok: true, records: 5, tip: { seq: 5, hash: chain[4]!.hash } });
    expect(verifyAccessChain(USER, chain, [tipOf(chain), { ...chain[2]!, label: "an older head" }])).toMatchObject({ ok: true });
    expect(verifyAccessChain(USER, [])).toEqual({ ok: true, records: 0, tip: { seq: 0, hash: GENESIS_HASH } });
  });

  it("record 1 follows the genesis hash, and the hash is SHA-256 over the canonical encoding", () => {
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    expect(chain[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(accessRecordHash({ ...chain[0]!, linkId: chain[0]!.linkId.toUpperCase() }, 1, GENESIS_HASH)).toBe(chain[0]!.hash);
  });

  it.each<[string, (c: ChainedAccessRecord[]) => ChainedAccessRecord[], ChainBreakReason, number]>([
    ["a removed record", (c) => c.filter((r) => r.seq !== 3), ChainBreakReason.SEQ_GAP, 3],
    ["two removed records", (c) => c.filter((r) => r.seq !== 2 && r.seq !== 3), ChainBreakReason.SEQ_GAP, 2],
    ["the first record removed", (c) => c.slice(1), ChainBreakReason.SEQ_GAP, 1],
    ["an altered field", (c) => c.map((r) => (r.seq === 4 ? { ...r, scope: "identity:read" } : r)), ChainBreakReason.HASH_MISMATCH, 4],
    ["an altered time", (c) => c.map((r) => (r.seq === 2 ? { ...r, at: new Date(r.at.getTime() - 1) } : r)), ChainBreakReason.HASH_MISMATCH, 2],
    [
      "an altered record whose hash was recomputed",
      (c) => c.map((r) => (r.seq === 2 ? { ...r, clientId: "other", hash: accessRecordHash({ ...r, clientId: "other" }, 2, r.prevHash) } : r)),
      ChainBreakReason.PREV_MISMATCH,
      3,
    ],
    ["two records swapped", (c) => [c[0]!, c[2]!, c[1]!, c[3]!, c[4]!], ChainBreakReason.SEQ_GAP, 2],
    ["a duplicated record", (c) => [c[0]!, c[1]!, c[1]!, c[2]!, c[3]!, c[4]!], ChainBreakReason.SEQ_ORDER, 3],
    ["another person's record", (c) => c.map((r) => (r.seq === 5 ? { ...r, userId: "bob" } : r)), ChainBreakReason.OTHER_USER, 5],
    ["the tail cut off after the signed head", (c) => c.slice(0, 3), ChainBreakReason.HEAD_MISMATCH, 4],
  ])("%s is named at the first broken record", (_, tamper, reason, seq) => {
    const verdict = verifyAccessChain(USER, tamper(chain), [tipOf(chain)]);
    expect(verdict).toMatchObject({ ok: false, broken: { reason, seq } });
    expect(verdict.ok || verdict.broken.message).toMatch(new RegExp(`record ${seq}|record.*${seq}`));
  });

  it("a chain rewritten from scratch (fresh hashes, one record left out) no longer matches the signed head", () => {
    const rewritten = chainOf(chain.filter((r) => r.seq !== 2));
    expect(verifyAccessChain(USER, rewritten)).toMatchObject({ ok: true });
    expect(verifyAccessChain(USER, rewritten, [tipOf(chain)])).toMatchObject({ ok: false, broken: { reason: ChainBreakReason.HEAD_MISMATCH, seq: 5 } });
    expect(verifyAccessChain(USER, rewritten, [{ ...chain[2]!, label: "an older head" }])).toMatchObject({
      ok: false,
      broken: { reason: ChainBreakReason.HEAD_MISMATCH, seq: 3 },
    });
  });
});

describe("verifyAccessChain, by property", () => {
  it("every intact chain verifies against its own head", () => {
    fc.assert(
      fc.property(chains, (chain) => {
        expect(verifyAccessChain(USER, chain, [tipOf(chain)])).toMatchObject({ ok: true, records: chain.length });
      }),
    );
  });

  it("any single deletion is detected at the deleted record's seq", () => {
    fc.assert(
      fc.property(chains, fc.nat(), (chain, pick) => {
        const i = pick % chain.length;
        const verdict = verifyAccessChain(USER, chain.toSpliced(i, 1), [tipOf(chain)]);
        expect(verdict).toMatchObject({ ok: false, broken: { seq: i + 1 } });
      }),
    );
  });

  it("any single edit of any field is detected at that record", () => {
    fc.assert(
      fc.property(chains, fc.nat(), fc.constantFrom(...FIELDS), fc.nat({ max: 1000 }), (chain, pick, field, by) => {
        const i = pick % chain.length;
        const verdict = verifyAccessChain(USER, chain.with(i, edited(chain[i]!, field, by)), [tipOf(chain)]);
        expect(verdict).toMatchObject({ ok: false, broken: { seq: i + 1 } });
      }),
    );
  });

  it("any single edit whose own hash is recomputed is detected at that record or the next", () => {
    fc.assert(
      fc.property(chains, fc.nat(), fc.constantFrom(...FIELDS.filter((f) => f !== "hash")), fc.nat({ max: 1000 }), (chain, pick, field, by) => {
        const i = pick % chain.length;
        const changed = edited(chain[i]!, field, by);
        const rehashed = { ...changed, hash: accessRecordHash(changed, changed.seq, changed.prevHash) };
        const verdict = verifyAccessChain(USER, chain.with(i, rehashed), [tipOf(chain)]);
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect([i + 1, i + 2]).toContain(verdict.broken.seq);
      }),
    );
  });

  it("any reorder of two records is detected at the first of them", () => {
    fc.assert(
      fc.property(
        chains.filter((c) => c.length >= 2),
        fc.nat(),
        fc.nat(),
        (chain, a, b) => {
          const i = a % (chain.length - 1);
          const j = i + 1 + (b % (chain.length - 1 - i));
          const swapped = chain.with(i, chain[j]!).with(j, chain[i]!);
          expect(verifyAccessChain(USER, swapped, [tipOf(chain)])).toMatchObject({ ok: false, broken: { seq: i + 1 } });
        },
      ),
    );
  });

  it("any tail cut off after the signed head is detected at the first missing record", () => {
    fc.assert(
      fc.property(chains, fc.nat(), (chain, pick) => {
        const kept = pick % chain.length;
        const verdict = verifyAccessChain(USER, chain.slice(0, kept), [tipOf(chain)]);
        expect(verdict).toMatchObject({ ok: false, broken: { reason: ChainBreakReason.HEAD_MISMATCH, seq: kept + 1 } });
      }),
    );
  });
});

describe("verifyAccessLog: the signed head", () => {
  let keys: JSONWebKeySet;
  let sign: (payload: AccessLogHeadPayload, typ?: string) => Promise<string>;
  let otherKeys: JSONWebKeySet;
  const chain = chainOf([
    {
      userId: USER,
      clientId: "app",
      linkId: "6f1c9a52-8a35-4c8b-9f0e-3f1f6b0e2d11",
      institutionId: "citi",
      consentId: null,
      scope: "accounts:read",
      purpose: "ACCOUNT_OVERVIEW",
      operationName: null,
      requestId: "r1",
      at: new Date("2026-12-03T10:00:00.000Z"),
    },
    {
      userId: USER,
      clientId: "app",
      linkId: "6f1c9a52-8a35-4c8b-9f0e-3f1f6b0e2d11",
      institutionId: "citi",
      consentId: null,
      scope: "balances:read",
      purpose: "ACCOUNT_OVERVIEW",
      operationName: null,
      requestId: "r2",
      at: new Date("2026-12-03T10:00:01.000Z"),
    },
  ]);
  const head = (over: Partial<AccessLogHeadPayload> = {}): AccessLogHeadPayload => ({
    userId: USER,
    seq: 2,
    hash: chain[1]!.hash,
    signedAt: "2026-12-03T10:01:00.000Z",
    ...over,
  });

  beforeAll(async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    keys = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" }] };
    otherKeys = { keys: [{ ...(await exportJWK((await generateKeyPair("ES256", { extractable: true })).publicKey)), kid: "k1", alg: "ES256" }] };
    sign = (payload, typ = ACCESS_LOG_HEAD_TYP) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: "ES256", kid: "k1", typ }).sign(pair.privateKey);
  });

  it("a genuine head verifies and is reported; without one the chain alone is checked", async () => {
    expect(await verifyAccessLog({ userId: USER, records: chain, signedHead: await sign(head()), keys })).toMatchObject({ ok: true, signedHead: head() });
    expect(await verifyAccessLog({ userId: USER, records: chain, signedHead: null, keys })).toMatchObject({ ok: true, signedHead: null });
  });

  it.each<[string, () => Promise<{ jws: string; keys?: JSONWebKeySet }>, ChainBreakReason, number | null]>([
    ["one byte of the head changed", async () => ({ jws: flipOneByte(await sign(head())) }), ChainBreakReason.BAD_SIGNATURE, null],
    ["a head signed by another key", async () => ({ jws: await sign(head()), keys: otherKeys }), ChainBreakReason.BAD_SIGNATURE, null],
    [
      "a gateway signature of another type (a receipt)",
      async () => ({ jws: await sign(head(), "bankgraph-receipt+jws") }),
      ChainBreakReason.BAD_SIGNATURE,
      null,
    ],
    ["another person's head", async () => ({ jws: await sign(head({ userId: "bob" })) }), ChainBreakReason.OTHER_USER, null],
    ["a head past the log's end", async () => ({ jws: await sign(head({ seq: 3, hash: "f".repeat(64) })) }), ChainBreakReason.HEAD_MISMATCH, 3],
  ])("%s fails", async (_, make, reason, seq) => {
    const { jws, keys: using } = await make();
    expect(await verifyAccessLog({ userId: USER, records: chain, signedHead: jws, keys: using ?? keys })).toMatchObject({ ok: false, broken: { reason, seq } });
  });

  it("an export round-trips through JSON and verifies the same; a malformed one is refused by name", async () => {
    const file = JSON.parse(JSON.stringify(toAccessLogExport(USER, chain, await sign(head()), keys))) as unknown;
    const parsed = parseAccessLogExport(file);
    expect(parsed.records).toEqual(chain);
    expect(await verifyAccessLog(parsed)).toMatchObject({ ok: true });
    expect(() => parseAccessLogExport({ ...(file as object), records: [{ seq: "one" }] })).toThrow(/not an access-log export.*records\.0/);
  });
});

/** The JWS with one character of its payload changed. */
function flipOneByte(jws: string): string {
  const [header, payload, signature] = jws.split(".");
  const i = Math.floor(payload!.length / 2);
  const swapped = payload![i] === "A" ? "B" : "A";
  return [header, payload!.slice(0, i) + swapped + payload!.slice(i + 1), signature].join(".");
}
