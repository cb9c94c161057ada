/**
 * Phone numbers in one form whatever the bank sent: E.164 (`+15553459994`). Banks send
 * `+1-555-345-9994`, `(555) 345-9994`, `0015553459994` or a country code and a national
 * number apart; apps should not have to know which bank formats how.
 */

/** `+` and 8 to 15 digits, the first not 0: the shape E.164 allows. */
export const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * The number in E.164, or null when it cannot be one (too short, too long, letters). A number
 * without a country code is read in `defaultCountryCode` (North America's `1` unless told).
 */
export function toE164(raw: string, defaultCountryCode = "1"): string | null {
  const text = raw.trim();
  if (!/^[+\d\s().\-/]+$/.test(text)) return null;
  const digits = text.replace(/\D/g, "");
  let international: string;
  if (text.startsWith("+")) international = digits;
  else if (digits.startsWith("00")) international = digits.slice(2);
  else if (defaultCountryCode === "1" && digits.length === 11 && digits.startsWith("1")) international = digits;
  else international = `${defaultCountryCode}${digits}`;
  const e164 = `+${international}`;
  return E164.test(e164) ? e164 : null;
}

/** A country code and a national number sent apart (as FDX does), joined into E.164. */
export function joinE164(countryCode: string | undefined, nationalNumber: string): string | null {
  const country = (countryCode ?? "1").replace(/\D/g, "") || "1";
  return toE164(`+${country}${nationalNumber.replace(/\D/g, "")}`);
}
