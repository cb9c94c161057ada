import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/clock.js";
import { ConsentActor, ConsentEventType, ConsentStatus } from "../../src/domain/consent.js";
import { ErrorCode } from "../../src/errors.js";
import { LinkRepository } from "../../src/store/link-repository.js";
import { storeBackends } from "../support/databases.js";
import { CLIENT, OTHER_CLIENT, T0, expectGatewayError, openConsentFixture, type ConsentFixture } from "./consent-fixture.js";

const backends = await storeBackends();
const day = (n: number, ms = 0) => new Date(T0.getTime() + n * DAY_MS + ms);

describe.each(backends)("consent expiry, superseding and history on $name", (backend) => {
  let f: ConsentFixture;
  beforeAll(async () => {
    f = await openConsentFixture(backend);
  });
  afterAll(() => f?.db.close());

  it("expires exactly at authorizedAt + duration without any sweeper; expireDue then records it", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const c = await f.service.authorize((await f.request(u, link.id)).id, u);
    f.clock.set(day(30, -1));
    const before = (await f.service.effectiveConsents(u, CLIENT, [link.id])).get(link.id)!;
    expect([before.status, before.scopes.size]).toEqual([ConsentStatus.AUTHORIZED, 2]);
    f.clock.set(day(30));
    const after = (await f.service.effectiveConsents(u, CLIENT, [link.id])).get(link.id)!;
    expect([after.status, after.consent.status, after.scopes.size]).toEqual([ConsentStatus.EXPIRED, ConsentStatus.EXPIRED, 0]);
    expect(await f.service.getForUser(c.id, u)).toMatchObject({ status: ConsentStatus.EXPIRED });
    await expectGatewayError(f.service.revoke(c.id, { userId: u }), ErrorCode.CONSENT_INVALID, "Cannot revoke a consent that is EXPIRED");
    // Stored status still lags until the sweeper runs.
    expect(await f.db.query("SELECT status FROM consents WHERE id = $1", [c.id])).toEqual([{ status: "AUTHORIZED" }]);
    f.clock.set(day(31));
    const swept = await f.service.expireDue();
    expect(swept.filter((s) => s.userId === u).map((s) => [s.id, s.status])).toEqual([[c.id, ConsentStatus.EXPIRED]]);
    expect(await f.db.query("SELECT status FROM consents WHERE id = $1", [c.id])).toEqual([{ status: "EXPIRED" }]);
    const last = (await f.events(u, c.id)).at(-1)!;
    expect([last.type, last.actor, last.at, last.detail]).toEqual([
      ConsentEventType.EXPIRED,
      ConsentActor.SYSTEM,
      day(31),
      { previousStatus: "AUTHORIZED", lapsedAt: day(30).toISOString() },
    ]);
    expect((await f.service.expireDue()).filter((s) => s.userId === u)).toEqual([]);
  });

  it("an unanswered request lapses after 7 days: it can no longer be authorized, and the sweeper closes it", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const early = await f.request(u, link.id);
    f.clock.set(day(7, -1));
    const fresh = await f.request(u, link.id);
    f.clock.set(day(7));
    await expectGatewayError(f.service.authorize(early.id, u), ErrorCode.CONSENT_INVALID, "Cannot authorize a consent that is EXPIRED");
    const swept = (await f.service.expireDue({ batchSize: 1 })).filter((s) => s.userId === u);
    expect(swept.map((s) => s.id)).toEqual([early.id]);
    expect(await f.service.getForUser(fresh.id, u)).toMatchObject({ status: ConsentStatus.AWAITING_AUTHORIZATION });
    expect(await f.service.authorize(fresh.id, u)).toMatchObject({ status: ConsentStatus.AUTHORIZED });
  });

  it("a new request supersedes the authorized one only once the user authorizes it", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const old = await f.service.authorize((await f.request(u, link.id)).id, u);
    f.clock.set(day(1));
    const wider = await f.request(u, link.id, { scopes: ["accounts:read", "balances:read", "transactions:read"] });
    const meanwhile = (await f.service.effectiveConsents(u, CLIENT, [link.id])).get(link.id)!;
    expect([meanwhile.consent.id, [...meanwhile.scopes]]).toEqual([old.id, ["accounts:read", "balances:read"]]);
    f.clock.set(day(2));
    await f.service.authorize(wider.id, u);
    const now = (await f.service.effectiveConsents(u, CLIENT, [link.id])).get(link.id)!;
    expect([now.consent.id, [...now.scopes]]).toEqual([wider.id, ["accounts:read", "balances:read", "transactions:read"]]);
    expect(await f.service.getForUser(old.id, u)).toMatchObject({ status: ConsentStatus.REVOKED, revokedAt: day(2), revokedBy: ConsentActor.USER });
    expect((await f.events(u)).map((e) => [e.consentId, e.type, e.detail.supersededBy])).toEqual([
      [old.id, ConsentEventType.REQUESTED, undefined],
      [old.id, ConsentEventType.AUTHORIZED, undefined],
      [wider.id, ConsentEventType.REQUESTED, undefined],
      [old.id, ConsentEventType.REVOKED, wider.id],
      [wider.id, ConsentEventType.AUTHORIZED, undefined],
    ]);
  });

  it("superseding an authorization that already lapsed records it EXPIRED, not REVOKED", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const old = await f.service.authorize((await f.request(u, link.id, { durationDays: 1 })).id, u);
    f.clock.set(day(2));
    const next = await f.service.authorize((await f.request(u, link.id)).id, u);
    expect(await f.service.getForUser(old.id, u)).toMatchObject({ status: ConsentStatus.EXPIRED, revokedAt: null });
    expect(await f.service.getForUser(next.id, u)).toMatchObject({ status: ConsentStatus.AUTHORIZED });
  });

  it("two authorizations racing in one (client, link) leave exactly one AUTHORIZED", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const a = await f.request(u, link.id);
    const b = await f.request(u, link.id, { purpose: "FRAUD_PROTECTION" });
    await Promise.all([f.service.authorize(a.id, u), f.service.authorize(b.id, u)]);
    const statuses = (await f.service.listForUser(u)).map((c) => c.status).sort();
    expect(statuses).toEqual([ConsentStatus.AUTHORIZED, ConsentStatus.REVOKED]);
  });

  it("another client's consent on the same link is independent", async () => {
    const u = f.newUser();
    const link = await f.newLink(u);
    const mine = await f.service.authorize((await f.request(u, link.id)).id, u);
    const theirs = await f.service.authorize(
      (await f.request(u, link.id, { clientId: OTHER_CLIENT, purpose: "PERSONAL_FINANCE_MANAGEMENT", scopes: ["transactions:read"] })).id,
      u,
    );
    expect((await f.service.effectiveConsents(u, CLIENT, [link.id])).get(link.id)!.consent.id).toBe(mine.id);
    expect([...(await f.service.effectiveConsents(u, OTHER_CLIENT, [link.id])).get(link.id)!.scopes]).toEqual(["transactions:read"]);
    expect(await f.service.getForUser(mine.id, u)).toMatchObject({ status: ConsentStatus.AUTHORIZED });
    expect(theirs.status).toBe(ConsentStatus.AUTHORIZED);
  });

  it("effectiveConsents: the live grant beats a newer request, else the newest decides; links without consent are absent", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const [l1, l2, l3] = [await f.newLink(u, "chase"), await f.newLink(u, "citi"), await f.newLink(u, "paypal")];
    const granted = await f.service.authorize((await f.request(u, l1.id)).id, u);
    f.clock.advance(1000);
    await f.request(u, l1.id, { scopes: ["identity:read"] });
    const rejected = await f.request(u, l2.id);
    await f.service.reject(rejected.id, u);
    f.clock.advance(1000);
    const newest = await f.request(u, l2.id);
    const view = await f.service.effectiveConsents(u, CLIENT, [l1.id, l2.id, l3.id, "garbage", randomUUID()]);
    expect([...view.keys()].sort()).toEqual([l1.id, l2.id].sort());
    expect([view.get(l1.id)!.consent.id, view.get(l1.id)!.status]).toEqual([granted.id, ConsentStatus.AUTHORIZED]);
    expect([view.get(l2.id)!.consent.id, view.get(l2.id)!.status, view.get(l2.id)!.scopes.size]).toEqual([newest.id, ConsentStatus.AWAITING_AUTHORIZATION, 0]);
    expect((await f.service.effectiveConsents(u, CLIENT, [])).size).toBe(0);
  });

  it("linksAndEffectiveConsents: in one statement, the live links and the same decisions as listForUser + effectiveConsents; a revocation shows at once", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const [l1, l2, l3, gone] = [await f.newLink(u, "chase"), await f.newLink(u, "citi"), await f.newLink(u, "paypal"), await f.newLink(u, "amex")];
    const granted = await f.service.authorize((await f.request(u, l1.id)).id, u);
    f.clock.advance(1000);
    await f.request(u, l1.id, { scopes: ["identity:read"] });
    await f.service.authorize((await f.request(u, l2.id, { clientId: OTHER_CLIENT, purpose: "PERSONAL_FINANCE_MANAGEMENT" })).id, u);
    await f.service.authorize((await f.request(u, gone.id)).id, u);
    await f.links.revoke(gone.id);
    const stranger = f.newUser();
    await f.service.authorize((await f.request(stranger, (await f.newLink(stranger)).id)).id, stranger);

    const live = await f.links.listForUser(u);
    const both = await f.service.linksAndEffectiveConsents(u, CLIENT);
    expect(both.links).toEqual(live);
    expect(both.links.map((l) => l.id).sort()).toEqual([l1.id, l2.id, l3.id].sort());
    expect(both.consents).toEqual(
      await f.service.effectiveConsents(
        u,
        CLIENT,
        live.map((l) => l.id),
      ),
    );
    expect([...both.consents.keys()]).toEqual([l1.id]);
    expect((await f.service.linksAndEffectiveConsents(u, OTHER_CLIENT)).consents.get(l2.id)?.status).toBe(ConsentStatus.AUTHORIZED);

    await f.service.revoke(granted.id, { userId: u });
    // The grant is gone on the next read: the pending request, newest, decides now and grants nothing.
    const after = (await f.service.linksAndEffectiveConsents(u, CLIENT)).consents.get(l1.id)!;
    expect([after.status, after.scopes.size]).toEqual([ConsentStatus.AWAITING_AUTHORIZATION, 0]);
  });

  it("unlinking revokes the link's open consents, for every client, in the caller's transaction", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const other = await f.newLink(u, "citi");
    const live = await f.service.authorize((await f.request(u, link.id)).id, u);
    const pending = await f.request(u, link.id, { purpose: "FRAUD_PROTECTION" });
    const theirs = await f.service.authorize((await f.request(u, link.id, { clientId: OTHER_CLIENT, purpose: "PERSONAL_FINANCE_MANAGEMENT" })).id, u);
    const elsewhere = await f.service.authorize((await f.request(u, other.id)).id, u);
    // A failing unlink rolls the consent revocations back with it.
    await expect(
      f.db.transaction(async (tx) => {
        await new LinkRepository(tx, f.clock).revoke(link.id);
        await f.service.revokeAllForLink(link.id, u, { tx });
        throw new Error("bank call failed");
      }),
    ).rejects.toThrow("bank call failed");
    expect((await f.service.listForUser(u, { linkId: link.id })).map((c) => c.status).sort()).toEqual([
      ConsentStatus.AUTHORIZED,
      ConsentStatus.AUTHORIZED,
      ConsentStatus.AWAITING_AUTHORIZATION,
    ]);
    f.clock.set(day(1));
    const revoked = await f.db.transaction(async (tx) => {
      await new LinkRepository(tx, f.clock).revoke(link.id);
      return f.service.revokeAllForLink(link.id, u, { tx });
    });
    expect(revoked.map((c) => c.id).sort()).toEqual([live.id, pending.id, theirs.id].sort());
    expect(revoked.every((c) => c.status === ConsentStatus.REVOKED && c.revokedBy === ConsentActor.USER)).toBe(true);
    const events = (await f.events(u)).filter((e) => e.type === ConsentEventType.REVOKED);
    expect(events.map((e) => e.detail.reason)).toEqual(["LINK_REVOKED", "LINK_REVOKED", "LINK_REVOKED"]);
    expect(await f.service.getForUser(elsewhere.id, u)).toMatchObject({ status: ConsentStatus.AUTHORIZED });
    // Someone else's link: nothing happens. Again: nothing left to revoke.
    expect(await f.service.revokeAllForLink(other.id, f.newUser())).toEqual([]);
    expect(await f.service.revokeAllForLink(link.id, u)).toEqual([]);
  });

  it("lists events in the order they happened, keyset-paginated, per consent on request", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const a = await f.request(u, link.id);
    f.clock.advance(1000);
    await f.service.authorize(a.id, u);
    f.clock.advance(1000);
    const b = await f.request(u, link.id, { purpose: "FRAUD_PROTECTION" });
    f.clock.advance(1000);
    await f.service.reject(b.id, u);
    f.clock.advance(1000);
    await f.service.revoke(a.id, { userId: u });
    const p1 = await f.service.listEvents(u, { first: 2 });
    const p2 = await f.service.listEvents(u, { first: 2, after: p1.endCursor });
    const p3 = await f.service.listEvents(u, { first: 2, after: p2.endCursor });
    expect([p1.hasNextPage, p2.hasNextPage, p3.hasNextPage]).toEqual([true, true, false]);
    expect([...p1.items, ...p2.items, ...p3.items].map((e) => [e.consentId, e.type, e.at.getTime() - T0.getTime()])).toEqual([
      [a.id, ConsentEventType.REQUESTED, 0],
      [a.id, ConsentEventType.AUTHORIZED, 1000],
      [b.id, ConsentEventType.REQUESTED, 2000],
      [b.id, ConsentEventType.REJECTED, 3000],
      [a.id, ConsentEventType.REVOKED, 4000],
    ]);
    expect((await f.events(u, b.id)).map((e) => e.type)).toEqual([ConsentEventType.REQUESTED, ConsentEventType.REJECTED]);
    await expectGatewayError(f.service.listEvents(u, { first: 2, after: "bogus" }), ErrorCode.BAD_USER_INPUT, "Invalid cursor");
  });
});
