/**
 * Bankgraph as a WebAuthn relying party: its id is the host of the configured public URL
 * (PUBLIC_URL, or the address the gateway listens on) and the only origin a passkey answer may come
 * from is that URL's origin. A passkey made for another site, or answered on another origin, is refused.
 */

export interface RelyingParty {
  /** The RP ID: the public URL's host name (no port). */
  id: string;
  /** The one expected origin, e.g. https://bankgraph.example. */
  origin: string;
  /** Shown by the person's device when it asks for their PIN or fingerprint. */
  name: string;
}

export function relyingPartyOf(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin, name: "Bankgraph" };
}
