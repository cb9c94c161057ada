/**
 * Bearer token attacks against the running gateway, over HTTP. Every forged, stale or misdirected
 * token is refused with HTTP 401 UNAUTHENTICATED before anything runs: the probe is an
 * `unlinkInstitution` mutation of the victim's link, so "nothing executed" means the link is still ACTIVE.
 * Then production-style verification against a JWKS (RS256 and ES256 keys).
 */
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestGateway, type GraphQLResponse, type TestGateway } from "../support/gateway.js";

const UNLINK = `mutation Unlink($id: ID!) { unlinkInstitution(linkId: $id) { id status } }`;
/** The probe's variables: the victim's link (set once it is linked). */
let probe: { id: string } = { id: "" };
const now = () => Math.floor(Date.now() / 1000);

/** Posts with a raw Authorization header (or none). */
async function post(t: TestGateway, authorization: string | undefined, query = UNLINK, variables: object = probe): Promise<GraphQLResponse & { text: string }> {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}

function expectUnauthenticated(response: GraphQLResponse & { text: string }, token?: string): void {
  expect(response.status).toBe(401);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0]!.extensions).toEqual({ code: "UNAUTHENTICATED" });
  if (token) expect(response.text).not.toContain(token);
}

describe("with the dev HS256 configuration", () => {
  let t: TestGateway;
  let secret: Uint8Array;
  const victim = `jwt-victim-${Date.now()}`;
  const claims = (): JWTPayload => ({ sub: victim, client_id: "messenger-test", scope: "consent:manage" });

  /** A token signed like the gateway's own, with `change` applied. */
  function hs256(
    change: { claims?: JWTPayload; drop?: string[]; key?: Uint8Array; issuer?: string; audience?: string; exp?: number; nbf?: number; alg?: string } = {},
  ) {
    const payload: JWTPayload = { ...claims(), ...change.claims };
    for (const name of change.drop ?? []) delete payload[name];
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: change.alg ?? "HS256", typ: "JWT" })
      .setIssuer(change.issuer ?? t.config.jwt.issuer)
      .setAudience(change.audience ?? t.config.jwt.audience)
      .setIssuedAt();
    if (!change.drop?.includes("exp")) jwt.setExpirationTime(change.exp ?? now() + 600);
    if (change.nbf !== undefined) jwt.setNotBefore(change.nbf);
    return jwt.sign(change.key ?? secret);
  }

  beforeAll(async () => {
    t = await startTestGateway({ mocks: { banks: ["chase"] } });
    secret = new TextEncoder().encode(t.config.jwt.secret);
    probe = { id: await t.linkAs({ userId: victim, app: "", user: "", links: {}, consents: {} }, "chase", "alice") };
  });
  afterAll(() => t?.close());

  const attacks: Array<[string, () => Promise<string>]> = [
    [
      "alg none",
      async () => `Bearer ${new UnsecuredJWT(claims()).setIssuer(t.config.jwt.issuer).setAudience(t.config.jwt.audience).setExpirationTime("10m").encode()}`,
    ],
    ["HS256 with a wrong key", async () => `Bearer ${await hs256({ key: new TextEncoder().encode("not-the-gateway-secret-but-long-enough-0123456789") })}`],
    ["HS512 with the right key", async () => `Bearer ${await hs256({ alg: "HS512" })}`],
    ["expired (beyond the clock tolerance)", async () => `Bearer ${await hs256({ exp: now() - 120 })}`],
    ["not yet valid (nbf in an hour)", async () => `Bearer ${await hs256({ nbf: now() + 3600 })}`],
    ["no exp", async () => `Bearer ${await hs256({ drop: ["exp"] })}`],
    ["wrong issuer", async () => `Bearer ${await hs256({ issuer: "https://evil.example" })}`],
    ["wrong audience", async () => `Bearer ${await hs256({ audience: "another-api" })}`],
    ["missing sub", async () => `Bearer ${await hs256({ drop: ["sub"] })}`],
    ["missing client_id", async () => `Bearer ${await hs256({ drop: ["client_id"] })}`],
    ["client_id with spaces", async () => `Bearer ${await hs256({ claims: { client_id: "messenger test" } })}`],
    ["sub that is not a string", async () => `Bearer ${await hs256({ claims: { sub: 42 as unknown as string } })}`],
    [
      "RS256 against the HS256 configuration",
      async () => {
        const { privateKey } = await generateKeyPair("RS256");
        return `Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: "RS256" }).setIssuer(t.config.jwt.issuer).setAudience(t.config.jwt.audience).setExpirationTime("10m").sign(privateKey)}`;
      },
    ],
    [
      "a tampered payload",
      async () => {
        const [header, , signature] = (await hs256()).split(".");
        const payload = Buffer.from(
          JSON.stringify({ ...claims(), sub: "someone-else", iss: t.config.jwt.issuer, aud: t.config.jwt.audience, exp: now() + 600 }),
        ).toString("base64url");
        return `Bearer ${header}.${payload}.${signature}`;
      },
    ],
    ["garbage", async () => "Bearer garbage"],
    ["three garbage segments", async () => "Bearer aaa.bbb.ccc"],
    ["the token without Bearer", async () => hs256()],
    ["Basic credentials", async () => `Basic ${Buffer.from("alice:pass_good").toString("base64")}`],
    ["an empty Bearer", async () => "Bearer "],
    ["no Authorization header", async () => undefined as unknown as string],
  ];

  it.each(attacks)("%s → 401 UNAUTHENTICATED, nothing executed", async (_name, make) => {
    const authorization = await make();
    t.resetBankCalls();
    const response = await post(t, authorization);
    expectUnauthenticated(response, authorization?.replace(/^\w+ /, "") || undefined);
    expect(t.bankCalls()["chase"]!.total).toBe(0);
    const links = await t.gql(`{ links { id status } }`, {}, await t.token(victim));
    expect(links.body).toEqual({ data: { links: [{ id: probe.id, status: "ACTIVE" }] } });
  });

  it("the same probe with a correct token does execute (the attacks above could have succeeded)", async () => {
    const user = `jwt-control-${Date.now()}`;
    const id = await t.linkAs({ userId: user, app: "", user: "", links: {}, consents: {} }, "chase", "alice");
    const response = await post(t, `Bearer ${await t.token(user, { scopes: ["consent:manage"] })}`, UNLINK, { id });
    expect(response.status).toBe(200);
    expect(response.body.data.unlinkInstitution).toEqual({ id, status: "REVOKED" });
  });

  it("a token within the 30 s clock tolerance is still accepted", async () => {
    const response = await post(t, `Bearer ${await hs256({ exp: now() - 5 })}`, `{ links { id } }`, {});
    expect(response.status).toBe(200);
  });

  it("a token verified before is refused once it expires: the gateway remembers its signature, never its validity", async () => {
    const token = await hs256({ exp: now() + 60 });
    expect((await post(t, `Bearer ${token}`, `{ links { id } }`, {})).status).toBe(200);
    expect((await post(t, `Bearer ${token}`, `{ links { id } }`, {})).status).toBe(200);
    // Past exp and the 30 s tolerance (only Date moves: the gateway's timers and sockets keep real time).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 91_000 });
    try {
      expectUnauthenticated(await post(t, `Bearer ${token}`, `{ links { id } }`, {}), token);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("with a JWKS (production-style asymmetric keys)", () => {
  let t: TestGateway;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  const user = `jwks-user-${Date.now()}`;

  function signed(alg: "RS256" | "ES256", key: CryptoKey, change: { kid?: string; exp?: number; issuer?: string } = {}) {
    return new SignJWT({ client_id: "messenger-test" })
      .setProtectedHeader({ alg, kid: change.kid ?? (alg === "RS256" ? "rsa-1" : "ec-1") })
      .setSubject(user)
      .setIssuer(change.issuer ?? t.config.jwt.issuer)
      .setAudience(t.config.jwt.audience)
      .setExpirationTime(change.exp ?? now() + 600)
      .sign(key);
  }

  beforeAll(async () => {
    rsa = await generateKeyPair("RS256");
    ec = await generateKeyPair("ES256");
    const jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" },
        { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" },
      ],
    };
    t = await startTestGateway({ jwks, mocks: { banks: ["chase"] } });
  });
  afterAll(() => t?.close());

  it.each(["RS256", "ES256"] as const)("accepts a correctly signed %s token", async (alg) => {
    const token = await signed(alg, alg === "RS256" ? rsa.privateKey : ec.privateKey);
    const response = await post(t, `Bearer ${token}`, `{ links { id } }`, {});
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { links: [] } });
  });

  const attacks: Array<[string, () => Promise<string>]> = [
    ["an HS256 token with the dev secret", () => t.token(user)],
    [
      "HS256 keyed with the RSA public key (algorithm confusion)",
      async () =>
        new SignJWT({ client_id: "messenger-test" })
          .setProtectedHeader({ alg: "HS256", kid: "rsa-1" })
          .setSubject(user)
          .setIssuer(t.config.jwt.issuer)
          .setAudience(t.config.jwt.audience)
          .setExpirationTime("10m")
          .sign(new TextEncoder().encode(await exportSPKI(rsa.publicKey))),
    ],
    ["RS256 signed by another key under a known kid", async () => signed("RS256", (await generateKeyPair("RS256")).privateKey)],
    ["RS256 under an unknown kid", async () => signed("RS256", rsa.privateKey, { kid: "rsa-2" })],
    ["ES256 signed with the RSA kid", async () => signed("ES256", ec.privateKey, { kid: "rsa-1" })],
    ["an expired RS256 token", async () => signed("RS256", rsa.privateKey, { exp: now() - 120 })],
    ["an RS256 token from another issuer", async () => signed("RS256", rsa.privateKey, { issuer: "https://evil.example" })],
    [
      "alg none",
      async () =>
        new UnsecuredJWT({ client_id: "messenger-test", sub: user })
          .setIssuer(t.config.jwt.issuer)
          .setAudience(t.config.jwt.audience)
          .setExpirationTime("10m")
          .encode(),
    ],
  ];

  it.each(attacks)("rejects %s with 401", async (_name, make) => {
    const token = await make();
    t.resetBankCalls();
    expectUnauthenticated(await post(t, `Bearer ${token}`), token);
    expect(t.bankCalls()["chase"]!.total).toBe(0);
  });
});
