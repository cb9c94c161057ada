/**
 * Mock PayPal: REST API style (`/v1/...`), OAuth2 password grant, money as
 * `{ currency_code, value: "12.34" }`, timestamps with `+0000`, Transaction Search paged by
 * page number. The OpenAPI description of this wire format is `openapi.yaml` next to this file.
 */
import type { MockBankDefinition } from "../bank.js";
import { payPalAuthorization, payPalLook, payPalRefusal } from "./authorization.js";
import { paypalEvents } from "./events.js";
import { mountPayouts } from "./payouts.js";
import { mountPayPalRoutes } from "./routes.js";
import { mountTransactionSearch } from "./transactions.js";

/** The PayPal mock bank: a PayPal Balance wallet and the PayPal Cashback Mastercard. */
export const paypal: MockBankDefinition = {
  id: "paypal",
  name: "PayPal",
  products: [
    { kind: "wallet", name: "PayPal Balance" },
    { kind: "credit_card", name: "PayPal Cashback Mastercard" },
  ],
  authorization: payPalAuthorization,
  look: payPalLook,
  refusal: payPalRefusal,
  receipts: true,
  events: paypalEvents,
  listsSupersededPending: false,
  mount(router, bank) {
    mountPayPalRoutes(router, bank);
    mountTransactionSearch(router, bank, paypal.listsSupersededPending);
    mountPayouts(router, bank);
  },
};
