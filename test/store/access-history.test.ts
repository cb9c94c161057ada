/**
 * The access log as the person reads it on /connections, on PGlite and PostgreSQL: one entry per
 * request (its scopes together), newest first, keyset pages both ways that neither skip nor repeat
 * a request, only the person's own rows, last access per consent, and reads per day counted in the
 * person's time zone.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessHistoryRepository } from "../../src/store/access-history-repository.js";
import { AccessLogRepository, type AccessRecord } from "../../src/store/access-log-repository.js";
import type { Database } from "../../src/store/database.js";
import { storeBackends } from "../support/databases.js";

const backends = await storeBackends();

describe.each(backends)("access history on $name", (backend) => {
  let db: Database;
  let log: AccessLogRepository;
  let history: AccessHistoryRepository;
  beforeAll(async () => {
    db = await backend.open();
    log = new AccessLogRepository(db);
    history = new AccessHistoryRepository(db);
  });
  afterAll(() => db?.close());

  const record = (userId: string, consentId: string, requestId: string, scope: string, at: Date, clientId = "app"): AccessRecord => ({
    userId,
    clientId,
    linkId: randomUUID(),
    institutionId: "chase",
    consentId,
    scope,
    purpose: "ACCOUNT_OVERVIEW",
    operationName: `Op${requestId}`,
    requestId,
    at,
  });

  it("pages one consent's requests newest first, both ways, without skipping or repeating one", async () => {
    const user = `u-${randomUUID()}`;
    const consent = randomUUID();
    const start = Date.parse("2026-12-01T12:00:00Z");
    // 7 requests, each reading two scopes, appended one request at a time; one other person's read between.
    for (let i = 1; i <= 7; i++) {
      const at = new Date(start + i * 60_000);
      await log.append([record(user, consent, `r${i}`, "accounts:read", at), record(user, consent, `r${i}`, "balances:read", at)]);
      await log.append([record(`other-${randomUUID()}`, consent, `x${i}`, "accounts:read", at)]);
    }
    const ops = (page: { entries: Array<{ operationName: string | null }> }) => page.entries.map((e) => e.operationName);

    const first = await history.forConsent(user, consent, 3);
    expect(ops(first)).toEqual(["Opr7", "Opr6", "Opr5"]);
    expect(first.entries[0]!.scopes.sort()).toEqual(["accounts:read", "balances:read"]);
    expect(first.newer).toBeNull();
    const second = await history.forConsent(user, consent, 3, { older: first.older });
    expect(ops(second)).toEqual(["Opr4", "Opr3", "Opr2"]);
    const third = await history.forConsent(user, consent, 3, { older: second.older });
    expect(ops(third)).toEqual(["Opr1"]);
    expect(third.older).toBeNull();
    const back = await history.forConsent(user, consent, 3, { newer: third.newer });
    expect(ops(back)).toEqual(ops(second));
    const top = await history.forConsent(user, consent, 3, { newer: back.newer });
    expect(ops(top)).toEqual(ops(first));
    expect(top.newer).toBeNull();

    // Another person asking for this consent's history sees nothing; a foreign cursor is refused.
    expect((await history.forConsent(`nobody-${randomUUID()}`, consent, 3)).entries).toEqual([]);
    await expect(history.forConsent(user, consent, 3, { older: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect((await history.lastAccess(user, [consent, randomUUID()])).get(consent)).toEqual(new Date(start + 7 * 60_000));
  });

  it("counts reads (requests) per app per day in the person's time zone", async () => {
    const user = `u-${randomUUID()}`;
    const consent = randomUUID();
    // 03:00 UTC on Dec 3 is still Dec 2 in New York; 15:00 UTC is Dec 3 in both.
    await log.append([
      record(user, consent, "a", "accounts:read", new Date("2026-12-03T03:00:00Z")),
      record(user, consent, "a", "balances:read", new Date("2026-12-03T03:00:00Z")),
    ]);
    await log.append([record(user, consent, "b", "accounts:read", new Date("2026-12-03T15:00:00Z"))]);
    await log.append([record(user, consent, "c", "accounts:read", new Date("2026-12-03T16:00:00Z"), "other-app")]);
    const since = new Date("2026-11-01T00:00:00Z");
    expect(await history.readsPerDay(user, since, "UTC")).toEqual([
      { clientId: "app", day: "2026-12-03", reads: 2 },
      { clientId: "other-app", day: "2026-12-03", reads: 1 },
    ]);
    expect(await history.readsPerDay(user, since, "America/New_York")).toEqual([
      { clientId: "app", day: "2026-12-02", reads: 1 },
      { clientId: "app", day: "2026-12-03", reads: 1 },
      { clientId: "other-app", day: "2026-12-03", reads: 1 },
    ]);
  });
});
