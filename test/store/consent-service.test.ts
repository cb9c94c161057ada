import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/clock.js";
import { ConsentActor, ConsentEventType, ConsentPurpose, ConsentStatus } from "../../src/domain/consent.js";
import { ErrorCode } from "../../src/errors.js";
import { LinkStatus } from "../../src/domain/link.js";
import { storeBackends } from "../support/databases.js";
import { CLIENT, OTHER_CLIENT, T0, expectGatewayError, openConsentFixture, type ConsentFixture } from "./consent-fixture.js";

const backends = await storeBackends();
const day = (n: number) => new Date(T0.getTime() + n * DAY_MS);

describe.each(backends)("consent service on $name", (backend) => {
  let f: ConsentFixture;
  beforeAll(async () => {
    f = await openConsentFixture(backend);
  });
  afterAll(() => f?.db.close());

  it("a request is stored AWAITING_AUTHORIZATION with a REQUESTED event by the client", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const consent = await f.request(u, link.id, { scopes: ["balances:read", "accounts:read", "balances:read"], historyDays: 90 });
    expect(consent).toEqual({
      id: consent.id,
      userId: u,
      clientId: CLIENT,
      linkId: link.id,
      scopes: ["accounts:read", "balances:read"],
      purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
      status: ConsentStatus.AWAITING_AUTHORIZATION,
      historyDays: 90,
      durationDays: 30,
      requestedAt: T0,
      authorizedAt: null,
      expiresAt: null,
      decidedAt: null,
      revokedAt: null,
      revokedBy: null,
    });
    expect(await f.service.getForUser(consent.id, u)).toEqual(consent);
    const events = await f.events(u);
    expect(events.map(({ id: _, ...e }) => e)).toEqual([
      {
        consentId: consent.id,
        userId: u,
        clientId: CLIENT,
        linkId: link.id,
        type: ConsentEventType.REQUESTED,
        actor: ConsentActor.CLIENT,
        at: T0,
        detail: { scopes: ["accounts:read", "balances:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30, historyDays: 90 },
      },
    ]);
  });

  it("refuses requests that break the rules, storing nothing", async () => {
    const u = f.newUser();
    const link = await f.newLink(u);
    const stranger = await f.newLink(f.newUser());
    await expectGatewayError(f.request(u, stranger.id), ErrorCode.NOT_FOUND, "Link not found");
    await expectGatewayError(f.request(u, randomUUID()), ErrorCode.NOT_FOUND, "Link not found");
    await expectGatewayError(f.request(u, "garbage"), ErrorCode.NOT_FOUND, "Link not found");
    await expectGatewayError(f.request(u, link.id, { clientId: "unknown-app" }), ErrorCode.FORBIDDEN, "Client unknown-app is not registered");
    const notAllowed = await expectGatewayError(
      f.request(u, link.id, { purpose: "PAYMENTS_SUPPORT" }),
      ErrorCode.FORBIDDEN,
      "Client messenger-demo is not registered for purpose PAYMENTS_SUPPORT",
    );
    expect(notAllowed.extensions.reason).toBe("PURPOSE_NOT_ALLOWED_FOR_CLIENT");
    await expectGatewayError(f.request(u, link.id, { purpose: "ADVERTISING" }), ErrorCode.PURPOSE_FORBIDDEN);
    await expectGatewayError(f.request(u, link.id, { purpose: "data resale" }), ErrorCode.PURPOSE_FORBIDDEN);
    await expectGatewayError(f.request(u, link.id, { scopes: ["transfers:write"] }), ErrorCode.BAD_USER_INPUT);
    await expectGatewayError(f.request(u, link.id, { durationDays: 366 }), ErrorCode.BAD_USER_INPUT);
    await f.links.setStatus(link.id, LinkStatus.LOGIN_REQUIRED);
    const relogin = await expectGatewayError(f.request(u, link.id), ErrorCode.LOGIN_REQUIRED);
    expect(relogin.extensions.institutionId).toBe("chase");
    await f.links.revoke(link.id);
    await expectGatewayError(f.request(u, link.id), ErrorCode.NOT_FOUND, "Link not found");
    expect(await f.service.listForUser(u)).toEqual([]);
    expect(await f.events(u)).toEqual([]);
  });

  it("the user authorizes: AUTHORIZED until authorizedAt + duration, scopes granted", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const requested = await f.request(u, link.id);
    f.clock.set(day(1));
    const consent = await f.service.authorize(requested.id, u);
    expect(consent).toMatchObject({ status: ConsentStatus.AUTHORIZED, authorizedAt: day(1), decidedAt: day(1), expiresAt: day(31) });
    expect(await f.service.getForUser(consent.id, u)).toEqual(consent);
    const view = await f.service.effectiveConsents(u, CLIENT, [link.id]);
    expect(view.get(link.id)?.status).toBe(ConsentStatus.AUTHORIZED);
    expect([...view.get(link.id)!.scopes]).toEqual(["accounts:read", "balances:read"]);
    const events = await f.events(u, consent.id);
    expect(events.map((e) => [e.type, e.actor, e.at])).toEqual([
      [ConsentEventType.REQUESTED, ConsentActor.CLIENT, T0],
      [ConsentEventType.AUTHORIZED, ConsentActor.USER, day(1)],
    ]);
    expect(events[1]!.detail).toEqual({ expiresAt: day(31).toISOString() });
  });

  it("the user rejects; a rejected consent can't be authorized, rejected or revoked", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const requested = await f.request(u, link.id);
    const rejected = await f.service.reject(requested.id, u);
    expect(rejected).toMatchObject({ status: ConsentStatus.REJECTED, decidedAt: T0, authorizedAt: null });
    await expectGatewayError(f.service.authorize(requested.id, u), ErrorCode.CONSENT_INVALID, "Cannot authorize a consent that is REJECTED");
    await expectGatewayError(f.service.reject(requested.id, u), ErrorCode.CONSENT_INVALID, "Cannot reject a consent that is REJECTED");
    await expectGatewayError(f.service.revoke(requested.id, { userId: u }), ErrorCode.CONSENT_INVALID, "Cannot revoke a consent that is REJECTED");
    expect((await f.events(u)).map((e) => e.type)).toEqual([ConsentEventType.REQUESTED, ConsentEventType.REJECTED]);
    expect((await f.service.effectiveConsents(u, CLIENT, [link.id])).get(link.id)).toMatchObject({
      status: ConsentStatus.REJECTED,
      scopes: new Set(),
    });
  });

  it("revocation: by the user, by the consent's client, and withdrawal of a request by the client", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const a = await f.service.authorize((await f.request(u, link.id)).id, u);
    f.clock.set(day(2));
    expect(await f.service.revoke(a.id, { userId: u })).toMatchObject({ status: ConsentStatus.REVOKED, revokedAt: day(2), revokedBy: ConsentActor.USER });
    await expectGatewayError(f.service.revoke(a.id, { userId: u }), ErrorCode.CONSENT_INVALID, "Cannot revoke a consent that is REVOKED");
    await expectGatewayError(f.service.authorize(a.id, u), ErrorCode.CONSENT_INVALID, "Cannot authorize a consent that is REVOKED");

    const b = await f.service.authorize((await f.request(u, link.id)).id, u);
    expect(await f.service.revoke(b.id, { clientId: CLIENT, userId: u })).toMatchObject({ status: ConsentStatus.REVOKED, revokedBy: ConsentActor.CLIENT });

    const pending = await f.request(u, link.id);
    expect(await f.service.revoke(pending.id, { clientId: CLIENT, userId: u })).toMatchObject({
      status: ConsentStatus.REVOKED,
      revokedBy: ConsentActor.CLIENT,
    });
    await expectGatewayError(f.service.authorize(pending.id, u), ErrorCode.CONSENT_INVALID, "Cannot authorize a consent that is REVOKED");

    const revokedEvents = (await f.events(u)).filter((e) => e.type === ConsentEventType.REVOKED);
    expect(revokedEvents.map((e) => [e.consentId, e.actor, e.detail.previousStatus])).toEqual([
      [a.id, ConsentActor.USER, "AUTHORIZED"],
      [b.id, ConsentActor.CLIENT, "AUTHORIZED"],
      [pending.id, ConsentActor.CLIENT, "AWAITING_AUTHORIZATION"],
    ]);
  });

  it("another user's consent answers NOT_FOUND exactly like a missing one, and stays unchanged", async () => {
    const owner = f.newUser();
    const intruder = f.newUser();
    const link = await f.newLink(owner);
    const pending = await f.request(owner, link.id);
    const live = await f.service.authorize((await f.request(owner, link.id, { purpose: "FRAUD_PROTECTION" })).id, owner);
    const missing = randomUUID();
    const attempts: [string, (id: string) => Promise<unknown>][] = [
      ["authorize", (id) => f.service.authorize(id, intruder)],
      ["reject", (id) => f.service.reject(id, intruder)],
      ["revoke", (id) => f.service.revoke(id, { userId: intruder })],
      ["revoke as client", (id) => f.service.revoke(id, { clientId: CLIENT, userId: intruder })],
      ["get", (id) => f.service.getForUser(id, intruder)],
      ["events", (id) => f.service.listEvents(intruder, { first: 10, consentId: id })],
    ];
    for (const [, attempt] of attempts) {
      for (const id of [pending.id, live.id, missing, "not-a-uuid"]) {
        await expectGatewayError(attempt(id), ErrorCode.NOT_FOUND, "Consent not found");
      }
    }
    // Right user, wrong client: also not found.
    await expectGatewayError(f.service.revoke(live.id, { clientId: OTHER_CLIENT, userId: owner }), ErrorCode.NOT_FOUND, "Consent not found");
    expect(await f.service.listForUser(intruder)).toEqual([]);
    expect((await f.service.effectiveConsents(intruder, CLIENT, [link.id])).size).toBe(0);
    expect((await f.service.listEvents(intruder, { first: 10 })).items).toEqual([]);
    expect(await f.service.getForUser(pending.id, owner)).toMatchObject({ status: ConsentStatus.AWAITING_AUTHORIZATION });
    expect(await f.service.getForUser(live.id, owner)).toMatchObject({ status: ConsentStatus.AUTHORIZED });
    expect(await f.events(owner)).toHaveLength(3);
  });

  it("a refused change writes no event", async () => {
    const u = f.newUser();
    const link = await f.newLink(u);
    const c = await f.service.authorize((await f.request(u, link.id)).id, u);
    await expectGatewayError(f.service.authorize(c.id, u), ErrorCode.CONSENT_INVALID);
    await expectGatewayError(f.service.reject(c.id, u), ErrorCode.CONSENT_INVALID);
    expect((await f.events(u)).map((e) => e.type)).toEqual([ConsentEventType.REQUESTED, ConsentEventType.AUTHORIZED]);
  });

  it("lists a user's consents newest first, filtered by client, link and effective status", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const chase = await f.newLink(u, "chase");
    const citi = await f.newLink(u, "citi");
    const c1 = await f.request(u, chase.id);
    f.clock.advance(1000);
    const c2 = await f.request(u, citi.id);
    f.clock.advance(1000);
    const c3 = await f.request(u, chase.id, { clientId: OTHER_CLIENT, purpose: "PERSONAL_FINANCE_MANAGEMENT" });
    await f.service.authorize(c2.id, u);
    const ids = async (filter?: Parameters<typeof f.service.listForUser>[1]) => (await f.service.listForUser(u, filter)).map((c) => c.id);
    expect(await ids()).toEqual([c3.id, c2.id, c1.id]);
    expect(await ids({ clientId: CLIENT })).toEqual([c2.id, c1.id]);
    expect(await ids({ linkId: chase.id })).toEqual([c3.id, c1.id]);
    expect(await ids({ linkId: "garbage" })).toEqual([]);
    expect(await ids({ status: [ConsentStatus.AUTHORIZED] })).toEqual([c2.id]);
    // Requests lapse exactly AUTHORIZATION_WINDOW_DAYS after each was made; the 30-day authorization does not.
    f.clock.set(day(7));
    expect(await ids({ status: [ConsentStatus.EXPIRED] })).toEqual([c1.id]);
    f.clock.advance(2000);
    expect(await ids({ status: [ConsentStatus.EXPIRED] })).toEqual([c3.id, c1.id]);
    expect(await ids({ status: [ConsentStatus.AWAITING_AUTHORIZATION] })).toEqual([]);
  });
});
