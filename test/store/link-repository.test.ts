import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import { ErrorCode, GatewayError } from "../../src/errors.js";
import type { Database } from "../../src/store/database.js";
import { LinkStatus } from "../../src/domain/link.js";
import { LinkRepository } from "../../src/store/link-repository.js";
import { createTokenCipher } from "../../src/store/token-cipher.js";
import { storeBackends } from "../support/databases.js";

const backends = await storeBackends();
const T0 = new Date("2025-06-01T12:00:00.000Z");

describe.each(backends)("link repository on $name", (backend) => {
  let db: Database;
  let clock: ManualClock;
  let links: LinkRepository;
  const cipher = createTokenCipher(Buffer.alloc(32, 7));
  const user = () => `user-${randomUUID()}`;

  beforeAll(async () => {
    db = await backend.open();
    clock = new ManualClock(T0);
    links = new LinkRepository(db, clock);
  });
  afterAll(() => db?.close());

  it("creates an ACTIVE link with its encrypted token and reads it back", async () => {
    const u = user();
    clock.set(T0);
    const sealed = cipher.encrypt("bank-token-1");
    const refresh = cipher.encrypt("bank-refresh-1");
    const grant = {
      accessTokenCiphertext: sealed,
      accessTokenExpiresAt: new Date(T0.getTime() + 300_000),
      refreshTokenCiphertext: refresh,
      bankGrantId: "consent-7",
      accountIds: ["acc-1", "acc-2"],
      grantExpiresAt: new Date(T0.getTime() + 90 * DAY_MS),
    };
    const link = await links.create(u, "chase", grant);
    expect(link).toEqual({ id: link.id, userId: u, institutionId: "chase", status: LinkStatus.ACTIVE, ...grant, createdAt: T0, updatedAt: T0 });
    expect(link.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await links.findById(link.id)).toEqual(link);
    expect(await links.forUser(link.id, u)).toEqual(link);
    expect(cipher.decrypt((await links.findById(link.id))!.accessTokenCiphertext!)).toBe("bank-token-1");
    const [raw] = await db.query<{ access_token_ciphertext: string }>("SELECT access_token_ciphertext FROM links WHERE id = $1", [link.id]);
    expect(raw!.access_token_ciphertext).not.toContain("bank-token-1");
  });

  it("hides a link from another user and reads garbage ids as missing", async () => {
    const link = await links.create(user(), "citi", "ct");
    expect(await links.forUser(link.id, user())).toBeNull();
    expect(await links.findById("not-a-uuid")).toBeNull();
    expect(await links.forUser("'; DROP TABLE links; --", link.userId)).toBeNull();
    expect(await links.findById(randomUUID())).toBeNull();
  });

  it("allows one live link per user and institution", async () => {
    const u = user();
    const first = await links.create(u, "wells-fargo", "ct-1");
    const error = await links.create(u, "wells-fargo", "ct-2").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(ErrorCode.CONFLICT);
    expect((error as GatewayError).message).toBe("A link to wells-fargo already exists for this user");
    // Another user, or another institution, is not a conflict.
    await expect(links.create(user(), "wells-fargo", "ct-3")).resolves.toMatchObject({ status: LinkStatus.ACTIVE });
    await expect(links.create(u, "paypal", "ct-4")).resolves.toMatchObject({ status: LinkStatus.ACTIVE });
    // LOGIN_REQUIRED is still live; once revoked, a new link is allowed.
    await links.setStatus(first.id, LinkStatus.LOGIN_REQUIRED);
    await expect(links.create(u, "wells-fargo", "ct-5")).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
    await links.revoke(first.id);
    const second = await links.create(u, "wells-fargo", "ct-6");
    expect(second.id).not.toBe(first.id);
    expect((await links.findLive(u, "wells-fargo"))!.id).toBe(second.id);
  });

  it("the database itself refuses a second live link (partial unique index)", async () => {
    const u = user();
    await links.create(u, "amex", "ct");
    await expect(
      db.query(
        `INSERT INTO links (id, user_id, institution_id, status, created_at, updated_at)
         VALUES ($1, $2, 'amex', 'LOGIN_REQUIRED', now(), now())`,
        [randomUUID(), u],
      ),
    ).rejects.toMatchObject({ code: "23505" });
  });

  it("moves status, re-activates with a new token, and revokes for good", async () => {
    const u = user();
    clock.set(T0);
    const link = await links.create(u, "us-bank", "ct-old");
    clock.advance(DAY_MS);
    expect(await links.setStatus(link.id, LinkStatus.LOGIN_REQUIRED)).toMatchObject({
      status: LinkStatus.LOGIN_REQUIRED,
      accessTokenCiphertext: "ct-old",
      accessTokenExpiresAt: null,
      refreshTokenCiphertext: null,
      bankGrantId: null,
      accountIds: null,
      grantExpiresAt: null,
      createdAt: T0,
      updatedAt: new Date(T0.getTime() + DAY_MS),
    });
    clock.advance(DAY_MS);
    expect(await links.reactivate(link.id, { accessTokenCiphertext: "ct-new", refreshTokenCiphertext: "rt-new", accountIds: ["a"] })).toMatchObject({
      status: LinkStatus.ACTIVE,
      accessTokenCiphertext: "ct-new",
      refreshTokenCiphertext: "rt-new",
      accountIds: ["a"],
    });
    // A refresh keeps the old refresh token when the bank did not rotate it, and stores the rotated one when it did.
    const expiry = new Date(clock.now().getTime() + 300_000);
    const kept = await db.transaction(async (tx) => {
      const locked = new LinkRepository(tx, clock);
      expect(await locked.lockLive(link.id)).toMatchObject({ accessTokenCiphertext: "ct-new" });
      return locked.saveRefreshedTokens(link.id, { accessTokenCiphertext: "ct-2", accessTokenExpiresAt: expiry, refreshTokenCiphertext: null });
    });
    expect(kept).toMatchObject({ accessTokenCiphertext: "ct-2", accessTokenExpiresAt: expiry, refreshTokenCiphertext: "rt-new" });
    expect(
      await links.saveRefreshedTokens(link.id, { accessTokenCiphertext: "ct-3", accessTokenExpiresAt: null, refreshTokenCiphertext: "rt-3" }),
    ).toMatchObject({
      refreshTokenCiphertext: "rt-3",
    });
    clock.advance(DAY_MS);
    const revokedAt = clock.now();
    expect(await links.revoke(link.id)).toMatchObject({
      status: LinkStatus.REVOKED,
      accessTokenCiphertext: null,
      refreshTokenCiphertext: null,
      updatedAt: revokedAt,
    });
    expect(await db.transaction((tx) => new LinkRepository(tx, clock).lockLive(link.id))).toBeNull();
    clock.advance(DAY_MS);
    // Revocation is final and idempotent.
    expect(await links.revoke(link.id)).toMatchObject({ status: LinkStatus.REVOKED, updatedAt: revokedAt });
    expect(await links.setStatus(link.id, LinkStatus.ACTIVE)).toBeNull();
    expect(await links.reactivate(link.id, "ct-again")).toBeNull();
    expect(await links.findById(link.id)).toMatchObject({ status: LinkStatus.REVOKED, accessTokenCiphertext: null });
    expect(await links.revoke(randomUUID())).toBeNull();
  });

  it("lists a user's links oldest first, revoked only when asked", async () => {
    const u = user();
    clock.set(T0);
    const a = await links.create(u, "chase", "a");
    clock.advance(1000);
    const b = await links.create(u, "citi", "b");
    clock.advance(1000);
    const c = await links.create(u, "paypal", "c");
    await links.revoke(b.id);
    await links.create(user(), "chase", "someone else");
    expect((await links.listForUser(u)).map((l) => l.id)).toEqual([a.id, c.id]);
    expect((await links.listForUser(u, { includeRevoked: true })).map((l) => l.id)).toEqual([a.id, b.id, c.id]);
  });
});
