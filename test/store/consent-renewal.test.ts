/**
 * ConsentService.renew on every store backend (PGlite and PostgreSQL, so migration 012 runs on
 * both): same consent, new end date from now, RENEWED (actor USER) with both dates, the
 * in-transaction listeners told; refused with nothing changed when the link needs a new bank
 * login, for another user, for an expired or revoked consent. And the expiry-warning claim is one
 * per (consent, warning, end date).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/clock.js";
import { ConsentService } from "../../src/consent/consent-service.js";
import { ConsentActor, ConsentEventType, ConsentStatus, type Consent } from "../../src/domain/consent.js";
import { LinkStatus } from "../../src/domain/link.js";
import { ErrorCode } from "../../src/errors.js";
import { ConsentExpiryNoticeRepository } from "../../src/store/consent-expiry-notice-repository.js";
import { storeBackends } from "../support/databases.js";
import { T0, expectGatewayError, openConsentFixture, type ConsentFixture } from "./consent-fixture.js";

const backends = await storeBackends();
const day = (n: number) => new Date(T0.getTime() + n * DAY_MS);

describe.each(backends)("consent renewal on $name", (backend) => {
  let f: ConsentFixture;
  beforeAll(async () => {
    f = await openConsentFixture(backend);
  });
  afterAll(() => f?.db.close());

  it("keeps the consent, moves expiresAt to now + duration, records RENEWED and tells the listeners in the transaction", async () => {
    const told: Array<[string, Consent]> = [];
    const service = new ConsentService({
      db: f.db,
      clock: f.clock,
      onChangeInTransaction: async (_tx, consent, change) => void told.push([change.type, consent]),
      onRenewedInTransaction: async (_tx, consent) => void told.push(["renewed", consent]),
    });
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const granted = await service.authorize((await f.request(u, link.id)).id, u);
    f.clock.set(day(20));
    told.length = 0;
    const renewed = await service.renew(granted.id, u, { detail: { via: "test" } });
    expect(renewed).toEqual({ ...granted, expiresAt: day(50) });
    expect(await service.getForUser(granted.id, u)).toEqual(renewed);
    expect(told.map(([what, c]) => [what, c.expiresAt])).toEqual([
      [ConsentEventType.RENEWED, day(50)],
      ["renewed", day(50)],
    ]);
    const last = (await f.events(u, granted.id)).at(-1)!;
    expect([last.type, last.actor, last.at, last.detail]).toEqual([
      ConsentEventType.RENEWED,
      ConsentActor.USER,
      day(20),
      { previousExpiresAt: day(30).toISOString(), expiresAt: day(50).toISOString(), via: "test" },
    ]);
  });

  it("refuses, changing nothing: link needs a new login, another user, expired, revoked", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const link = await f.newLink(u);
    const granted = await f.service.authorize((await f.request(u, link.id)).id, u);
    await f.links.setStatus(link.id, LinkStatus.LOGIN_REQUIRED);
    const refused = await expectGatewayError(f.service.renew(granted.id, u), ErrorCode.LOGIN_REQUIRED);
    expect(refused.extensions).toMatchObject({ reason: "RECONNECT_AT_BANK", consentId: granted.id, institutionId: "chase" });
    await f.links.setStatus(link.id, LinkStatus.ACTIVE);
    await expectGatewayError(f.service.renew(granted.id, f.newUser()), ErrorCode.NOT_FOUND, "Consent not found");
    f.clock.set(day(30));
    await expectGatewayError(f.service.renew(granted.id, u), ErrorCode.CONSENT_INVALID, "Cannot renew a consent that is EXPIRED");
    const other = await f.service.authorize((await f.request(u, link.id)).id, u);
    await f.service.revoke(other.id, { userId: u });
    await expectGatewayError(f.service.renew(other.id, u), ErrorCode.CONSENT_INVALID, "Cannot renew a consent that is REVOKED");
    expect((await f.events(u)).some((e) => e.type === ConsentEventType.RENEWED)).toBe(false);
    expect(await f.service.getForUser(granted.id, u)).toMatchObject({ status: ConsentStatus.EXPIRED, expiresAt: day(30) });
  });

  it("an expiry warning is claimed once per (consent, warning, end date)", async () => {
    f.clock.set(T0);
    const u = f.newUser();
    const granted = await f.service.authorize((await f.request(u, (await f.newLink(u)).id)).id, u);
    const notices = new ConsentExpiryNoticeRepository(f.db);
    const ref = { consentId: granted.id, expiresAt: granted.expiresAt! };
    expect(await Promise.all([notices.claim(ref, 7, T0), notices.claim(ref, 7, T0)])).toEqual(expect.arrayContaining([true, false]));
    expect(await notices.claim(ref, 30, T0)).toBe(true);
    expect(await notices.claim({ ...ref, expiresAt: day(60) }, 7, T0)).toBe(true);
    expect(await notices.claim(ref, 7, day(1))).toBe(false);
  });
});
