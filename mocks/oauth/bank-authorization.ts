/**
 * How a bank asks a person for access: the request style its OAuth server speaks and the table of
 * what each grantable item (a scope, an FDX data cluster, a UK permission) opens. One exported
 * table per bank (its `authorization.ts`) is also what its openapi.yaml documents and what the
 * data routes' guard enforces.
 */
import type { CallKind } from "../bank.js";

/** Resource kinds a grant can open ("auth" and "other" are never gated by a grant). */
export type GrantedResource = Exclude<CallKind, "auth" | "other">;

export interface GrantableItem {
  /** What the consent page says, in plain words. */
  label: string;
  /** The data routes it opens. */
  opens: readonly GrantedResource[];
}

/** Scope / cluster / permission name → what it opens. */
export type ResourceTable = Readonly<Record<string, GrantableItem>>;

export type BankAuthorization =
  /** Plain OAuth scopes on the authorization request (Wells Fargo, U.S. Bank, PayPal, Amex). */
  | { style: "scopes"; scopes: ResourceTable }
  /** FDX `authorization_details` of type fdx_v1.0 (pushed via PAR), naming data clusters (Chase). */
  | { style: "fdx"; clusters: ResourceTable }
  /**
   * UK Open Banking: a client-credentials token creates an account-access consent naming permissions,
   * then the person authorizes that consent by its id (Citi). `scope` is the one OAuth scope both use.
   */
  | { style: "uk"; permissions: ResourceTable; scope: string };

/** A bank's own look on its login, consent and account pages. */
export interface BankLook {
  /** The name on the page header. */
  brand: string;
  /** Header and primary button colour. */
  primary: string;
  /** Text colour on `primary`. */
  onPrimary: string;
  /** Page background. */
  background: string;
  /** Link and focus-ring colour. */
  accent: string;
  font: string;
}

/** The names a table knows, and what the named items open together. */
export function resourcesOpenedBy(table: ResourceTable, names: readonly string[]): GrantedResource[] {
  return [...new Set(names.flatMap((name) => table[name]?.opens ?? []))];
}

export function itemsOf(authorization: BankAuthorization): ResourceTable {
  switch (authorization.style) {
    case "scopes":
      return authorization.scopes;
    case "fdx":
      return authorization.clusters;
    case "uk":
      return authorization.permissions;
  }
}
