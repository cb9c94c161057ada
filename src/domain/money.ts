/**
 * Money as it leaves the gateway: a decimal string and an ISO 4217 code. Never a float:
 * conversions go through integer minor units (bigint), so `0.1 + 0.2` never happens here.
 */
export interface Money {
  /** Signed decimal string with exactly the currency's minor digits, e.g. "-12.30". */
  amount: string;
  /** ISO 4217 alphabetic code, upper case, e.g. "USD". */
  currency: string;
}

const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };
const CURRENCY_CODE = /^[A-Z]{3}$/;
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

function checkCurrency(currency: string): string {
  const code = currency.toUpperCase();
  if (!CURRENCY_CODE.test(code)) throw new Error(`Not an ISO 4217 currency code: ${currency}`);
  return code;
}

/** Money from integer minor units (cents for USD). */
export function moneyFromMinor(minor: bigint | number, currency: string): Money {
  const code = checkCurrency(currency);
  if (typeof minor === "number" && !Number.isSafeInteger(minor)) {
    throw new Error(`Minor units must be a safe integer, got ${minor}`);
  }
  const digits = minorDigits(code);
  const value = BigInt(minor);
  const negative = value < 0n;
  const abs = (negative ? -value : value).toString().padStart(digits + 1, "0");
  const whole = abs.slice(0, abs.length - digits);
  const fraction = digits > 0 ? `.${abs.slice(abs.length - digits)}` : "";
  return { amount: `${negative ? "-" : ""}${whole}${fraction}`, currency: code };
}

/** Integer minor units of a decimal string; rejects more precision than the currency has. */
export function minorFromDecimal(decimal: string, currency: string): bigint {
  const match = DECIMAL.exec(decimal.trim());
  if (!match) throw new Error(`Not a decimal amount: ${JSON.stringify(decimal)}`);
  const [, sign, whole = "0", fraction = ""] = match;
  const digits = minorDigits(checkCurrency(currency));
  if (fraction.length > digits && /[1-9]/.test(fraction.slice(digits))) {
    throw new Error(`Amount ${decimal} has more than ${digits} decimals`);
  }
  const minor = BigInt(whole + fraction.slice(0, digits).padEnd(digits, "0"));
  return sign === "-" ? -minor : minor;
}

/** Money from a decimal string such as "12.3" or "-0.05", normalized to the currency's digits. */
export function moneyFromDecimal(decimal: string, currency: string): Money {
  return moneyFromMinor(minorFromDecimal(decimal, currency), currency);
}

export function negate(money: Money): Money {
  return moneyFromMinor(-minorFromDecimal(money.amount, money.currency), money.currency);
}
