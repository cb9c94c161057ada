/**
 * A mock OpenID Connect identity provider (oidc-provider 9) for the person's sign-in on Bankgraph's
 * pages: its own port, its own sign-in page, demo people alice and bob. Authorization code + PKCE
 * (S256) only. Its issuer and its key set (`<issuer>/jwks`) are what a production gateway would
 * trust for the API too (JWT_ISSUER / JWT_JWKS_URL; docs/connect.md).
 *
 * First-party: the person signs in to use Bankgraph itself, so there is no consent prompt here (the
 * grant for openid/profile/email is made on sign-in). The disclosure the person agrees to is
 * Bankgraph's, and the data consent is given at each bank.
 */
import express from "express";
import { exportJWK, generateKeyPair } from "jose";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import Provider, { type ClientMetadata, type KoaContextWithOIDC } from "oidc-provider";
import { checkPassword, DEMO_PEOPLE } from "./demo-users.js";
import { idpAdapterFactory } from "./idp-store.js";
import { errorPage, IDP_CSS, IDP_CSP, loginPage } from "./idp-pages.js";

/** A site that signs people in here (Bankgraph), registered like at a real provider's console. */
export interface IdentityClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Shown on the sign-in page: "Sign in to continue to …". */
  name: string;
}

/** Dev default of Bankgraph's registration here; the gateway's config repeats it (mocks share no code with src/). */
export const DEV_IDENTITY_CLIENT = { clientId: "bankgraph", clientSecret: "bankgraph-dev-identity-secret-0123456789" } as const;

export interface IdentityProviderOptions {
  host?: string;
  /** 0 (default) = any free port. */
  port?: number;
  clients?: IdentityClient[];
}

export interface RunningIdentityProvider {
  /** The issuer identifier (= base URL), e.g. http://127.0.0.1:4410. */
  issuer: string;
  /** The provider's public keys: what the API verifies ID / access tokens of this issuer against. */
  jwksUrl: string;
  /** Registers (or replaces) a client; takes effect for the next authorization request. */
  registerClient(client: IdentityClient): void;
  close(): Promise<void>;
}

const toMetadata = (c: IdentityClient): ClientMetadata => ({
  client_id: c.clientId,
  client_secret: c.clientSecret,
  client_name: c.name,
  redirect_uris: c.redirectUris,
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
});

export async function startIdentityProvider(options: IdentityProviderOptions = {}): Promise<RunningIdentityProvider> {
  const host = options.host ?? "127.0.0.1";
  const clients = new Map((options.clients ?? []).map((c) => [c.clientId, c]));
  const app = express();
  app.disable("x-powered-by");
  const server = createServer(app);
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  // The issuer must be known before the provider is built: listen first, then mount.
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, () => resolve()));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "idp-1", alg: "RS256", use: "sig" };
  const provider = new Provider(issuer, {
    // Clients registered later (Bankgraph's port is known only once it listens) are read live.
    adapter: idpAdapterFactory((id) => {
      const client = clients.get(id);
      return client ? toMetadata(client) : undefined;
    }),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    pkce: { required: () => true },
    responseTypes: ["code"],
    scopes: ["openid", "profile", "email"],
    claims: { openid: ["sub"], profile: ["name", "zoneinfo"], email: ["email"] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false } },
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const person = DEMO_PEOPLE.find((p) => p.sub === sub);
      if (!person) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: person.name, email: person.email, zoneinfo: person.zoneinfo }) };
    },
    // First-party sign-in: grant the identity scopes the client asked for, no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, params } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      const scope = params?.["scope"];
      grant.addOIDCScope(typeof scope === "string" ? scope : "openid");
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    renderError(ctx: KoaContextWithOIDC, out: { error_description?: string; error?: string }) {
      ctx.type = "html";
      ctx.set("content-security-policy", IDP_CSP);
      ctx.body = errorPage(out.error_description ?? out.error ?? "The sign-in request was not valid.");
    },
  });
  provider.proxy = false;

  // Forms post back here; after a successful sign-in the provider redirects to the client's
  // redirect URI (a form POST's redirect is governed by form-action), so those origins are allowed.
  const pageCsp = () => {
    const origins = new Set([...clients.values()].flatMap((c) => c.redirectUris.map((u) => new URL(u).origin)));
    return IDP_CSP.replace("form-action 'self'", ["form-action 'self'", ...origins].join(" "));
  };
  const pageHeaders: express.RequestHandler = (_req, res, next) => {
    res.set({ "content-security-policy": pageCsp(), "cache-control": "no-store", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" });
    next();
  };
  app.get("/idp.css", (_req, res) => {
    res.type("text/css").set("x-content-type-options", "nosniff").send(IDP_CSS);
  });
  app.get("/interaction/:uid", pageHeaders, async (req, res) => {
    const details = await provider.interactionDetails(req, res).catch(() => undefined);
    if (!details || details.uid !== req.params.uid)
      return void res.status(400).type("html").send(errorPage("This sign-in link has expired. Start again from the site."));
    const client = clients.get(String(details.params["client_id"]));
    res.type("html").send(loginPage({ uid: details.uid, clientName: client?.name ?? "the site" }));
  });
  const form = express.urlencoded({ extended: false, limit: "4kb" });
  app.post("/interaction/:uid/login", pageHeaders, form, async (req, res) => {
    const details = await provider.interactionDetails(req, res).catch(() => undefined);
    if (!details || details.uid !== req.params.uid)
      return void res.status(400).type("html").send(errorPage("This sign-in link has expired. Start again from the site."));
    const body = req.body as Record<string, unknown>;
    const username = typeof body["username"] === "string" ? body["username"] : "";
    const person = checkPassword(username, typeof body["password"] === "string" ? body["password"] : "");
    if (!person) {
      const client = clients.get(String(details.params["client_id"]));
      return void res
        .status(401)
        .type("html")
        .send(loginPage({ uid: details.uid, clientName: client?.name ?? "the site", username, error: "That username and password do not match." }));
    }
    await provider.interactionFinished(req, res, { login: { accountId: person.sub } }, { mergeWithLastSubmission: false });
  });
  app.post("/interaction/:uid/abort", pageHeaders, async (req, res) => {
    const details = await provider.interactionDetails(req, res).catch(() => undefined);
    if (!details || details.uid !== req.params.uid)
      return void res.status(400).type("html").send(errorPage("This sign-in link has expired. Start again from the site."));
    await provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "The person cancelled the sign-in." },
      { mergeWithLastSubmission: false },
    );
  });
  app.use(provider.callback());

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    registerClient(client) {
      clients.set(client.clientId, client);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
