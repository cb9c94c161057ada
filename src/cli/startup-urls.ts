/**
 * Every address a newcomer needs once `bankgraph serve` is up, in one place: the GraphQL endpoint,
 * its WebSocket twin, the playground, the demo app, and — when the mock banks run in-process —
 * the mock admin server (faults, bank events) and each mock bank.
 */

/** What `bankgraph serve` prints in its "Bankgraph ready" line. */
export interface StartupUrls {
  /** GraphQL over HTTP (POST, or GET with a bearer token). */
  url: string;
  /** GraphQL subscriptions over WebSocket (graphql-ws), same path. */
  subscriptions: string;
  /** GraphiQL; absent in production, where it is not served. */
  playground?: string;
  /** The demo messenger app: try the whole connect journey in a browser as alice (demo data only). */
  tryConnect?: string;
  /** The in-process mock banks' admin API (GET /banks, POST /banks/<id>/events …). */
  mockAdmin?: string;
  /** Each in-process mock bank's base URL, by institution ID. */
  mockBanks?: Record<string, string>;
}

/** The in-process mock cluster's addresses (mocks/cluster.ts). */
export interface MockUrls {
  adminUrl: string;
  urls: Record<string, string>;
}

/**
 * The addresses for a gateway at `gatewayUrl` (its /graphql URL).
 * @param options.production no playground in production.
 * @param options.mocks the in-process mock banks, when BANK_URLS is not set.
 * @param options.demoApp the demo messenger app is served (demo data on): sign in as alice / alice-signs-in.
 */
export function startupUrls(gatewayUrl: string, options: { production: boolean; mocks?: MockUrls; demoApp?: boolean }): StartupUrls {
  const origin = new URL(gatewayUrl).origin;
  return {
    url: gatewayUrl,
    subscriptions: gatewayUrl.replace(/^http/, "ws"),
    ...(options.production ? {} : { playground: `${origin}/playground` }),
    ...(!options.production && options.demoApp ? { tryConnect: `${origin}/demo-app/` } : {}),
    ...(options.mocks ? { mockAdmin: options.mocks.adminUrl, mockBanks: { ...options.mocks.urls } } : {}),
  };
}
