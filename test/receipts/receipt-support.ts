/**
 * Helpers of the receipt suites: a person's receipts over GraphQL (their own, user-present token)
 * and the gateway's published key set over HTTP.
 */
import type { JSONWebKeySet } from "jose";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import type { TestGateway, TestUser } from "../support/gateway.js";

export interface ReceiptOverGraphQL {
  id: string;
  event: string;
  issuedAt: string;
  keyId: string;
  jws: string;
  disclosureSha256: string | null;
  lines: Array<{ label: string; value: string }>;
}

/** The receipts of one consent (global id) as `token` sees them; throws on a GraphQL error. */
export async function receiptsOf(t: TestGateway, consentGlobalId: string, token: string): Promise<ReceiptOverGraphQL[]> {
  const response = await t.gql<{ consents: Array<{ id: string; receipts: ReceiptOverGraphQL[] }> }>(
    `{ consents { id receipts { id event issuedAt keyId jws disclosureSha256 lines { label value } } } }`,
    {},
    token,
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.consents.find((c) => c.id === consentGlobalId)?.receipts ?? [];
}

/** What a person sees: their own token. */
export const personToken = (user: TestUser) => user.user;

/** GET <gateway>/.well-known/jwks.json, with its response headers. */
export async function fetchJwks(t: TestGateway): Promise<{ keys: JSONWebKeySet; response: Response }> {
  const response = await fetch(`${t.gateway.publicUrl}/.well-known/jwks.json`);
  return { keys: (await response.clone().json()) as JSONWebKeySet, response };
}

/** The JSON payload of a compact JWS, unverified (to look at, not to trust). */
export const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split(".")[1]!, "base64url").toString("utf8")) as Record<string, any>;

/** The local id inside a Consent global id. */
export const localConsentId = (globalId: string) => decodeGlobalId(globalId)!.parts.at(-1)!;
