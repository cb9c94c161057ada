/**
 * The person's pages never show a full email address, phone number or account number: the
 * masking contract of src/web/connections/payment-wording.ts, over ordinary and awkward inputs.
 */
import { describe, expect, it } from "vitest";
import { PaymentStatus } from "../../../src/domain/payment.js";
import { accountInWords, maskedEmail, maskedPhone, payeeInWords, STATUS_WORDS } from "../../../src/web/connections/payment-wording.js";

describe("payment wording", () => {
  it.each([
    ["bob@example.com", "b•••@example.com"],
    ["b@example.com", "b•••@example.com"],
    ["first.last+tag@sub.example.org", "f•••@sub.example.org"],
    ["a@b@example.com", "a•••@example.com"],
    ["not-an-email", "•••"],
    ["@example.com", "•••"],
  ])("an email %s reads %s: one character of the name at most", (email, shown) => {
    expect(maskedEmail(email)).toBe(shown);
  });

  it.each([
    ["+15557654321", "••• 4321"],
    ["+442071234567", "••• 4567"],
  ])("a phone %s reads %s: the last four digits only", (phone, shown) => {
    expect(maskedPhone(phone)).toBe(shown);
  });

  it("payees and accounts in words never carry the full address, number or account id", () => {
    expect(payeeInWords({ kind: "EMAIL", email: "carol@example.com" }, "PayPal")).toBe("the email address c•••@example.com");
    expect(payeeInWords({ kind: "PHONE", phone: "+15550001234" }, "PayPal")).not.toContain("555000");
    expect(payeeInWords({ kind: "REGISTERED_PAYEE", payeeId: "usb-payee-alice-0-abc" }, "U.S. Bancorp")).toBe("a payee you registered at U.S. Bancorp");
    expect(accountInWords({ fromAccountMask: "12345678" }, "PayPal")).toBe("PayPal ••5678");
  });

  it("every status has words", () => {
    for (const status of Object.values(PaymentStatus)) expect(STATUS_WORDS[status]).toMatch(/\w/);
  });
});
