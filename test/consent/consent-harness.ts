/**
 * What the consent and authorization suites share on top of the one harness (`test/support/gateway.ts`):
 * consent mutations over HTTP for any client, a second registered app, and the exact shape of a
 * denial. Everything here speaks GraphQL over HTTP; nothing reaches into the gateway's internals.
 */
import { expect } from "vitest";
import { ConsentPurpose } from "../../src/domain/consent.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { APP, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";

/** Every data scope a field of the schema is guarded by (alerts:read guards no query field). */
export const DATA_SCOPES = ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read"] as const;
export type DataScope = (typeof DATA_SCOPES)[number];

/** Every registered bank, in registry order: a bank added to the registry is covered without editing a test. */
export const ALL_BANKS: readonly string[] = PROVIDER_MODULES.map((m) => m.id);

/** For setup hooks that link banks and grant consents over HTTP: generous, because CI machines are shared. */
export const SETUP_TIMEOUT_MS = 180_000;

/** A second registered app that gets every scope: it finds the global IDs the tested app may not see. */
export const SCOUT = "scout-test";

export type GqlError = NonNullable<GraphQLResponse["body"]["errors"]>[number];

/** Registers {@link SCOUT} (idempotent). */
export async function registerScout(t: TestGateway): Promise<void> {
  await t.gateway.services.clients.register({ id: SCOUT, name: "Scout (test)", allowedPurposes: Object.values(ConsentPurpose) });
}

/** Fails with the errors when a response has any; returns its data. */
export function dataOf<T = any>(response: GraphQLResponse<T>, what: string): T {
  if (response.body.errors?.length || !response.body.data) throw new Error(`${what} failed: ${JSON.stringify(response.body.errors)}`);
  return response.body.data;
}

/** The one error of a response (fails unless there is exactly one). */
export function onlyError(response: GraphQLResponse): GqlError {
  expect(response.body.errors, JSON.stringify(response.body)).toHaveLength(1);
  return response.body.errors![0]!;
}

export interface ConsentRequest {
  scopes: string[];
  purpose?: string;
  durationDays?: number;
  historyDays?: number | null;
}

export const CONSENT_FIELDS = "id status scopes purpose clientId durationDays historyDays expiresAt revokedAt";

/** `requestConsent` as the given token (default: the tested app's token for `user`). */
export function requestConsent(t: TestGateway, user: TestUser, institution: string, request: ConsentRequest, token = user.app) {
  return t.gql(
    `mutation Request($input: RequestConsentInput!) { requestConsent(input: $input) { ${CONSENT_FIELDS} } }`,
    {
      input: {
        linkId: user.links[institution],
        scopes: request.scopes,
        purpose: request.purpose ?? "ACCOUNT_OVERVIEW",
        durationDays: request.durationDays ?? 90,
        historyDays: request.historyDays ?? null,
      },
    },
    token,
  );
}

/** `authorizeConsent` / `rejectConsent` / `revokeConsent` as `token`. */
export function decide(t: TestGateway, action: "authorizeConsent" | "rejectConsent" | "revokeConsent", consentId: string, token: string) {
  return t.gql(`mutation Decide($id: ID!) { ${action}(id: $id) { ${CONSENT_FIELDS} } }`, { id: consentId }, token);
}

/** Requests (as `client`) and authorizes (as the user) a consent; returns its global ID. */
export async function grantFor(
  t: TestGateway,
  user: TestUser,
  institution: string,
  scopes: string[],
  client: string,
  extra: Omit<ConsentRequest, "scopes"> = {},
): Promise<string> {
  const token = client === APP ? user.app : await t.token(user.userId, { client });
  const requested = dataOf(await requestConsent(t, user, institution, { scopes, ...extra }, token), `request at ${institution}`);
  dataOf(await decide(t, "authorizeConsent", requested.requestConsent.id, user.user), `authorize at ${institution}`);
  return requested.requestConsent.id;
}

/** Links a bank for `user` as the given bank customer, through the bank's own pages (the harness links everyone as alice). */
export function linkAs(t: TestGateway, user: TestUser, institutionId: string, customer: string): Promise<string> {
  return t.linkAs(user, institutionId, customer);
}

/** The app's (or the user's) view of the user's consents. */
export async function consentsOf(
  t: TestGateway,
  token: string,
): Promise<Array<{ id: string; status: string; scopes: string[]; clientId: string; durationDays: number; expiresAt: string | null }>> {
  return dataOf(await t.gql(`{ consents { ${CONSENT_FIELDS} } }`, {}, token), "consents").consents;
}

/** What one denial must look like: exactly this error, at exactly this path. */
export interface ExpectedDenial {
  path: Array<string | number>;
  requiredScopes: string[][];
  institutionId: string;
  reason: string;
}

/** The UNAUTHORIZED_FIELD_OR_TYPE errors of a response, reduced to what the contract promises. */
export function denialsOf(response: GraphQLResponse): ExpectedDenial[] {
  return (response.body.errors ?? []).map((e) => {
    expect(e.extensions?.["code"], JSON.stringify(e)).toBe("UNAUTHORIZED_FIELD_OR_TYPE");
    return {
      path: e.path ?? [],
      requiredScopes: e.extensions?.["requiredScopes"],
      institutionId: e.extensions?.["institutionId"],
      reason: e.extensions?.["reason"],
    };
  });
}

/** Sorts denials by path so two lists compare regardless of execution order. */
export function byPath(denials: ExpectedDenial[]): ExpectedDenial[] {
  return [...denials].sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));
}

/** Bank calls of one resource kind at one bank since the last reset. */
export function callsOf(t: TestGateway, bank: string, kind: string): number {
  return t.bankCalls()[bank]?.byKind[kind] ?? 0;
}

/** Every bank call at one bank since the last reset. */
export function totalCallsAt(t: TestGateway, bank: string): number {
  return t.bankCalls()[bank]?.total ?? 0;
}
