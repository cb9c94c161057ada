/**
 * The bank gate: the only way to read bank data. `openBank(context, source, scope)` decides
 * consent for (link, scope) with the request's {@link ConsentView} — the same `decide` the
 * `@requiresScopes` guard and the subscription deliveries use — and returns a reader narrowed to
 * that scope and to the decision's history window (see `bank-readers.ts`). Denied: the one
 * UNAUTHORIZED_FIELD_OR_TYPE error, and no bank is called. No decision, no loader.
 *
 * The link's raw loaders are built here and kept per request, invisible to callers: a future
 * resolver has no way to reach a bank except through a decision.
 */
import type { AccessRecorder } from "../consent/access-recorder.js";
import type { ConsentView, ScopeRequirement } from "../consent/consent-view.js";
import { unauthorizedFieldOrType } from "../consent/requires-scopes.js";
import { readerFor, type ReaderFor, type ReadScope } from "./bank-readers.js";
import type { Link } from "../domain/link.js";
import type { LinkLoaders } from "./link-loaders.js";
import { openLinkLoaders, type RequestLinks } from "./request-links.js";

export type { ReaderFor, ReadScope } from "./bank-readers.js";

/** The parts of the request context the gate needs. */
export interface BankGateContext {
  links: RequestLinks;
  consents: ConsentView;
  access: AccessRecorder;
}

/** The link to read, as every link-scoped GraphQL parent carries it (the gate trusts only the caller's own stored link). */
export interface LinkSource {
  linkId: string;
}

/** One requirement array per scope: ConsentView memoizes by array, so each (scope, link) is decided once per request. */
const REQUIREMENT: { [S in ReadScope]: ScopeRequirement } = {
  "accounts:read": [["accounts:read"]],
  "balances:read": [["balances:read"]],
  "transactions:read": [["transactions:read"]],
  "receipts:read": [["receipts:read"]],
  "identity:read": [["identity:read"]],
};

/** What a denial names when the caller does not say (the object the scope reads). */
const DEFAULT_COORDINATE: { [S in ReadScope]: string } = {
  "accounts:read": "Account",
  "balances:read": "Balance",
  "transactions:read": "Transaction",
  "receipts:read": "Receipt",
  "identity:read": "AccountOwner",
};

/** What the gate opened on one link in one request: its raw loaders, and the reader of each scope granted so far. */
interface OpenedLink {
  loaders: LinkLoaders;
  readers: Map<ReadScope, ReaderFor[ReadScope]>;
}

/**
 * Per request (keyed by the request's links) and link; null = the bank is not configured. A
 * scope's reader is built once per link and request: its decision is the request's one decision
 * for (link, scope) (ConsentView memoizes it), and a dashboard opens each of a link's scopes for
 * every account.
 */
const openedByRequest = new WeakMap<RequestLinks, Map<string, OpenedLink | null>>();

/**
 * Opens the bank for `scope` on the caller's link `source.linkId`.
 * - null: not one of the caller's live links (another user's, a forged ID), or its bank is not configured;
 * - throws UNAUTHORIZED_FIELD_OR_TYPE (reason in extensions) when the consent does not grant `scope`;
 * - otherwise the scope's reader.
 * `coordinate` names the field or type in the denial's message.
 */
export async function openBank<S extends ReadScope>(context: BankGateContext, source: LinkSource, scope: S, coordinate?: string): Promise<ReaderFor[S] | null> {
  if (!(scope in REQUIREMENT)) throw new Error(`openBank: "${String(scope)}" is not a readable data scope (one of ${Object.keys(REQUIREMENT).join(", ")})`);
  const link = await context.links.byId(source.linkId);
  if (!link) return null;
  const requirement = REQUIREMENT[scope];
  const decision = await context.consents.decide(link.id, requirement);
  if (!decision.granted) throw unauthorizedFieldOrType(coordinate ?? DEFAULT_COORDINATE[scope], requirement, link.institutionId, decision);

  let perLink = openedByRequest.get(context.links);
  if (!perLink) openedByRequest.set(context.links, (perLink = new Map<string, OpenedLink | null>()));
  let opened = perLink.get(link.id);
  if (opened === undefined) perLink.set(link.id, (opened = openLink(link, context.links.deps)));
  if (!opened) return null;
  let reader = opened.readers.get(scope) as ReaderFor[S] | undefined;
  if (!reader) opened.readers.set(scope, (reader = readerFor(scope, opened.loaders, decision, context.access)));
  return reader;
}

function openLink(link: Link, deps: RequestLinks["deps"]): OpenedLink | null {
  const loaders = openLinkLoaders(link, deps);
  return loaders ? { loaders, readers: new Map() } : null;
}
