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
import type { ConsentView, Denial, ScopeRequirement } from "../consent/consent-view.js";
import { unauthorizedFieldOrType } from "../consent/requires-scopes.js";
import { readerFor, type ReaderFor, type ReadScope } from "./bank-readers.js";
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

/** How one (link, scope) opened for one request: the caller gets a reader, null, or its own denial. */
type Opening = { kind: "reader"; reader: ReaderFor[ReadScope] } | { kind: "closed" } | { kind: "denied"; institutionId: string; denial: Denial };

/** One request's gate: the openings of each (link, scope), and each link's raw loaders (null: the bank is not configured). */
interface RequestGate {
  openings: Map<string, Promise<Opening>>;
  loaders: Map<string, LinkLoaders | null>;
}

/**
 * Per request, keyed by the request's links (built together with its consents and access record,
 * src/request/build-context.ts). A (link, scope) is opened once per request: its decision is the
 * request's one decision for it (ConsentView memoizes it), and a dashboard opens each of a link's
 * scopes for every account. A denial is thrown anew to each caller, naming its own field.
 */
const gates = new WeakMap<RequestLinks, RequestGate>();

/**
 * Opens the bank for `scope` on the caller's link `source.linkId`.
 * - null: not one of the caller's live links (another user's, a forged ID), or its bank is not configured;
 * - throws UNAUTHORIZED_FIELD_OR_TYPE (reason in extensions) when the consent does not grant `scope`;
 * - otherwise the scope's reader.
 * `coordinate` names the field or type in the denial's message.
 */
export function openBank<S extends ReadScope>(context: BankGateContext, source: LinkSource, scope: S, coordinate?: string): Promise<ReaderFor[S] | null> {
  if (!(scope in REQUIREMENT)) {
    return Promise.reject(new Error(`openBank: "${String(scope)}" is not a readable data scope (one of ${Object.keys(REQUIREMENT).join(", ")})`));
  }
  let gate = gates.get(context.links);
  if (!gate) gates.set(context.links, (gate = { openings: new Map(), loaders: new Map() }));
  const key = `${source.linkId}\u0000${scope}`;
  let pending = gate.openings.get(key);
  if (!pending) gate.openings.set(key, (pending = open(context, gate, source.linkId, scope)));
  return pending.then((opening) => {
    if (opening.kind === "denied")
      throw unauthorizedFieldOrType(coordinate ?? DEFAULT_COORDINATE[scope], REQUIREMENT[scope], opening.institutionId, opening.denial);
    return opening.kind === "reader" ? (opening.reader as ReaderFor[S]) : null;
  });
}

async function open(context: BankGateContext, gate: RequestGate, linkId: string, scope: ReadScope): Promise<Opening> {
  const link = await context.links.byId(linkId);
  if (!link) return { kind: "closed" };
  const decision = await context.consents.decide(link.id, REQUIREMENT[scope]);
  if (!decision.granted) return { kind: "denied", institutionId: link.institutionId, denial: decision };
  let loaders = gate.loaders.get(link.id);
  if (loaders === undefined) gate.loaders.set(link.id, (loaders = openLinkLoaders(link, context.links.deps) ?? null));
  return loaders ? { kind: "reader", reader: readerFor(scope, loaders, decision, context.access) } : { kind: "closed" };
}
