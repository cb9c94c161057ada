/**
 * The people who can sign in at the mock identity provider. Their `sub` is their Bankgraph user id
 * (the demo data links "alice" at every bank). Passwords here are the identity provider's, never a
 * bank's: the banks' demo password stays theirs (`pass_good`), typed only on the banks' own pages.
 */
export interface DemoPerson {
  sub: string;
  name: string;
  email: string;
  password: string;
  /** The standard OIDC `zoneinfo` claim (IANA time zone): Bankgraph's pages show times in it. */
  zoneinfo: string;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { sub: "alice", name: "Alice Example", email: "alice@example.com", password: "alice-signs-in", zoneinfo: "America/New_York" },
  { sub: "bob", name: "Bob Example", email: "bob@example.com", password: "bob-signs-in", zoneinfo: "Europe/London" },
];

/** The person with this username and password, or undefined (compared in constant time per field). */
export function checkPassword(username: string, password: string): DemoPerson | undefined {
  return DEMO_PEOPLE.find((p) => p.sub === username && p.password === password);
}
