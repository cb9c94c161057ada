/** Who is calling: the person (JWT `sub`), the app acting for them (`client_id`) and the token's scopes. */
export interface Identity {
  userId: string;
  clientId: string;
  /** Scopes granted to the token itself (e.g. `consent:manage` for a user-present token). */
  tokenScopes: ReadonlySet<string>;
  /** When the token stops being valid (its `exp`); long-lived connections end then. */
  expiresAt: Date;
}
