import type { BankEvent } from "../domain/bank-event.js";
import type { BankAuthorizationFormat } from "./authorization-format.js";
import type { BankHttp } from "./bank-http.js";
import type { BankProvider } from "./contract.js";
import type { PaymentRail } from "./payment-rail.js";

/** What the registry hands each adapter's factory. */
export interface ProviderOptions {
  /** An HTTP client already bound to this bank's base URL, timeout and error mapping. */
  http: BankHttp;
}

/** Builds a bank's adapter. */
export type ProviderFactory = (options: ProviderOptions) => BankProvider;

/**
 * How a bank delivers webhooks: where it puts the signature (hex HMAC-SHA256 of
 * `timestamp + "." + rawBody` with the bank's secret) and the Unix-seconds timestamp, and how its
 * own event format translates into domain events (in the bank's `webhook.ts`).
 */
export interface ProviderWebhooks {
  /** Header with the hex signature (case-insensitive, as HTTP headers are). */
  signatureHeader: string;
  /** Header with the Unix time in seconds at which the bank signed. */
  timestampHeader: string;
  /** A delivery's parsed JSON body → its events. Throws when the body is not this bank's event format. */
  parse(body: unknown): BankEvent[];
  /** Where the bank numbers its deliveries and lists them again after an outage; absent when it does neither. */
  feed?: BankEventFeedFormat;
}

/**
 * A bank's delivery numbering and "events since" endpoint, in its own style (the mock banks'
 * `events.ts` and openapi.yaml). The number (1, 2, 3, … per bank) shows the gateway a gap; the
 * endpoint, `GET <path>?<sinceParam>=<n>` signed with the webhook secret, lists the deliveries
 * numbered above n under `listKey` — the same bodies the webhooks carry — so the gateway recovers
 * what it missed (src/webhooks/webhook-reconciler.ts).
 */
export interface BankEventFeedFormat {
  path: string;
  sinceParam: string;
  listKey: string;
  /** Keys from the body's top level to the delivery's sequence number. */
  sequencePath: readonly string[];
}

/** What a bank's folder exports: who it is and how to build its adapter. */
export interface ProviderModule {
  /** Stable institution ID, used in global IDs, webhooks URLs and config keys (snake_case). */
  id: string;
  /** Display name. */
  name: string;
  create: ProviderFactory;
  /** How the bank is asked for access (its scopes, RAR details or consent resource): `authorization.ts` in its folder. */
  authorization: BankAuthorizationFormat;
  /** The bank's webhooks, where it sends any (`POST /webhooks/<id>`). */
  webhooks?: ProviderWebhooks;
  /**
   * Builds the bank's payment rail (`payments.ts` in its folder), where the bank can send money
   * for the person (issue 16); absent for banks Bankgraph cannot pay from. Takes the same options
   * as {@link create}: the rail talks to the bank through the same HTTP client.
   */
  payments?: (options: ProviderOptions) => PaymentRail;
}
