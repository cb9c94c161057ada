/**
 * Postal addresses in one shape whatever the bank sent: trimmed lines, `line2` null rather than
 * empty, region and country as upper-case codes (`US`, never `USA`), postal code as sent but trimmed.
 */
import type { PostalAddress } from "./model.js";

/** ISO 3166 alpha-3 codes banks use for the countries they serve, mapped to alpha-2. */
const ALPHA3_TO_ALPHA2: Record<string, string> = { USA: "US", CAN: "CA", MEX: "MX", GBR: "GB", PRI: "PR" };

/** Collapses inner whitespace and trims; empty becomes null. */
function clean(value: string | null | undefined): string | null {
  const text = (value ?? "").replace(/\s+/g, " ").trim();
  return text === "" ? null : text;
}

/** The address in the gateway's one shape. */
export function normalizePostalAddress(address: {
  line1: string;
  line2?: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}): PostalAddress {
  const country = (clean(address.country) ?? "").toUpperCase();
  return {
    line1: clean(address.line1) ?? "",
    line2: clean(address.line2),
    city: clean(address.city) ?? "",
    region: (clean(address.region) ?? "").toUpperCase(),
    postalCode: (clean(address.postalCode) ?? "").toUpperCase(),
    country: ALPHA3_TO_ALPHA2[country] ?? country,
  };
}

/** Lines a bank sends as one street text (`"12 Main St\nApt 4"`), as line1 and line2. */
export function splitStreet(street: string): { line1: string; line2: string | null } {
  const [line1 = "", ...more] = street
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return { line1, line2: more.length ? more.join(", ") : null };
}
