/**
 * Integer minor units → a decimal string with two places, the way the mock banks that send
 * decimal amounts write them. Deliberately not the gateway's `src/domain/money.ts`: the mocks are
 * the test oracle for the adapters, so they must not share the code whose output they check.
 * Every mock account is in USD (two minor digits).
 */

/** Signed, e.g. -1230 → "-12.30"; without going through a float. */
export function decimalAmount(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`Minor units must be a safe integer, got ${minor}`);
  const digits = String(Math.abs(minor)).padStart(3, "0");
  return `${minor < 0 ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
