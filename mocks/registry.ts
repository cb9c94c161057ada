/** The mock banks. Adding one: a folder under mocks/ and one line here. */
import type { MockBankDefinition } from "./bank.js";
import { amex } from "./amex/index.js";
import { chase } from "./chase/index.js";
import { citi } from "./citi/index.js";
import { paypal } from "./paypal/index.js";
import { usBank } from "./us-bank/index.js";
import { wellsFargo } from "./wells-fargo/index.js";

export const MOCK_BANKS: readonly MockBankDefinition[] = [chase, wellsFargo, citi, usBank, paypal, amex];
