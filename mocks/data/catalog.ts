/** Fixed lists the generator draws from: merchants, products, people. */
import type { MockAddress, MockMerchant } from "./types.js";

export const MERCHANTS: readonly MockMerchant[] = [
  { name: "Blue Bottle Coffee", mcc: "5814", category: "FOOD_AND_DRINK", online: false },
  { name: "Whole Foods Market", mcc: "5411", category: "GROCERIES", online: false },
  { name: "Trader Joe's", mcc: "5411", category: "GROCERIES", online: false },
  { name: "Shell", mcc: "5541", category: "TRANSPORTATION", online: false },
  { name: "Uber", mcc: "4121", category: "TRANSPORTATION", online: true },
  { name: "Netflix", mcc: "4899", category: "ENTERTAINMENT", online: true },
  { name: "Spotify", mcc: "5815", category: "ENTERTAINMENT", online: true },
  { name: "Chipotle", mcc: "5814", category: "FOOD_AND_DRINK", online: false },
  { name: "CVS Pharmacy", mcc: "5912", category: "HEALTH", online: false },
  { name: "Northwind Outfitters", mcc: "5651", category: "SHOPPING", online: true },
  { name: "Contoso Electronics", mcc: "5732", category: "SHOPPING", online: true },
  { name: "Fabrikam Home", mcc: "5712", category: "SHOPPING", online: true },
  { name: "Tailspin Books", mcc: "5942", category: "SHOPPING", online: true },
  { name: "Delta Air Lines", mcc: "3058", category: "TRAVEL", online: true },
  { name: "Marriott", mcc: "3509", category: "TRAVEL", online: true },
];

/** Merchants that ship goods and issue itemized receipts. */
export const RETAILERS = MERCHANTS.filter((m) => m.category === "SHOPPING");

export const PRODUCTS: Record<string, ReadonlyArray<{ description: string; sku: string; priceMinor: number }>> = {
  "Northwind Outfitters": [
    { description: "Merino wool sweater", sku: "NW-SW-001", priceMinor: 8900 },
    { description: "Trail running shoes", sku: "NW-SH-114", priceMinor: 12950 },
    { description: "Rain shell jacket", sku: "NW-JK-310", priceMinor: 15900 },
    { description: "Cotton socks (3-pack)", sku: "NW-SK-003", priceMinor: 1800 },
  ],
  "Contoso Electronics": [
    { description: "USB-C charger 65W", sku: "CE-CH-65", priceMinor: 3999 },
    { description: "Noise-cancelling headphones", sku: "CE-HP-700", priceMinor: 24900 },
    { description: "HDMI cable 2m", sku: "CE-HD-2M", priceMinor: 1299 },
    { description: "Wireless mouse", sku: "CE-MS-210", priceMinor: 2999 },
  ],
  "Fabrikam Home": [
    { description: "Linen duvet cover", sku: "FH-DV-Q", priceMinor: 11900 },
    { description: "Ceramic mug set", sku: "FH-MG-4", priceMinor: 3400 },
    { description: "Desk lamp", sku: "FH-LP-22", priceMinor: 5600 },
  ],
  "Tailspin Books": [
    { description: "Designing Data-Intensive Applications", sku: "TB-978144", priceMinor: 4599 },
    { description: "The Pragmatic Programmer", sku: "TB-978013", priceMinor: 3999 },
    { description: "Notebook, dotted", sku: "TB-NB-01", priceMinor: 1450 },
  ],
};

export const CARRIERS = ["UPS", "FedEx", "USPS"] as const;

/** Where each retailer ships from: a parcel's first scans are here. */
export const FULFILMENT_CENTERS: Record<string, string> = {
  "Northwind Outfitters": "Portland, OR",
  "Contoso Electronics": "Reno, NV",
  "Fabrikam Home": "Columbus, OH",
  "Tailspin Books": "Allentown, PA",
};

/** Each carrier's sorting hub: a parcel passes through it between origin and destination. */
export const CARRIER_HUBS: Record<(typeof CARRIERS)[number], string> = {
  UPS: "Louisville, KY",
  FedEx: "Memphis, TN",
  USPS: "Kansas City, MO",
};

export const CITIES: readonly Omit<MockAddress, "line1" | "line2">[] = [
  { city: "San Francisco", region: "CA", postalCode: "94107", country: "US" },
  { city: "Brooklyn", region: "NY", postalCode: "11201", country: "US" },
  { city: "Austin", region: "TX", postalCode: "78701", country: "US" },
  { city: "Chicago", region: "IL", postalCode: "60607", country: "US" },
];

/** The people who bank at every mock bank (Plaid-sandbox style credentials: password `pass_good`). */
export const DEFAULT_CUSTOMERS = [
  { id: "alice", name: "Alice Anderson" },
  { id: "bob", name: "Bob Brown" },
  { id: "carol", name: "Carol Chen" },
] as const;

export const DEFAULT_PASSWORD = "pass_good";
