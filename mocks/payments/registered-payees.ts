/**
 * Payees a customer registered at a Zelle-like bank (Chase, U.S. Bank): the bank's other default
 * customers, reachable by email or phone, plus one biller. Generated from the customer's id, so
 * the same customer has the same payees on every start; IDs differ per bank and per customer, so
 * one customer's payee ID never works for another.
 */
import type { BankDataset } from "../data/dataset.js";
import { hashString } from "../data/random.js";

export interface MockPayee {
  id: string;
  customerId: string;
  name: string;
  /** Where the money lands: an email, a phone or an account number. */
  destination: { kind: "email" | "phone" | "account"; value: string };
}

/** The payees `customerId` registered at this bank, oldest first. */
export function payeesOf(data: BankDataset, customerId: string): MockPayee[] {
  const customer = data.customer(customerId);
  if (!customer) return [];
  const id = (n: number) => `${data.bankId.slice(0, 3)}-payee-${customerId}-${n}-${hashString(`${data.bankId}:${customerId}:payee:${n}`).toString(36)}`;
  const people = ["alice", "bob", "carol"]
    .filter((other) => other !== customerId)
    .map((other) => data.customer(other))
    .filter((other): other is NonNullable<typeof other> => other !== undefined);
  return [
    ...people.map((person, n) => ({
      id: id(n),
      customerId,
      name: person.name,
      destination: n % 2 === 0 ? { kind: "email" as const, value: person.email } : { kind: "phone" as const, value: person.phone },
    })),
    {
      id: id(people.length),
      customerId,
      name: "City Power & Light",
      destination: { kind: "account" as const, value: `88${String(hashString(customerId)).padStart(10, "0").slice(-10)}` },
    },
  ];
}

/** The payee, only if this customer registered it. */
export function payeeOf(data: BankDataset, customerId: string, payeeId: string): MockPayee | undefined {
  return payeesOf(data, customerId).find((p) => p.id === payeeId);
}

/** Where a payee's money lands, masked as the bank shows it ("b••@example.com", "••••4321"). */
export function maskedDestination(payee: MockPayee): string {
  const { kind, value } = payee.destination;
  if (kind === "email") {
    const [local = "", domain = ""] = value.split("@");
    return `${local.slice(0, 1)}•••@${domain}`;
  }
  return `••••${value.replace(/\D/g, "").slice(-4)}`;
}
