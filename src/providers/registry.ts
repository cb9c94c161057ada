/**
 * The only place that lists banks. Adding a bank: a folder under src/providers/ exporting a
 * `ProviderModule`, and one line here.
 */
import type { ProviderModule } from "./provider-module.js";
import { amex } from "./amex/index.js";
import { chase } from "./chase/index.js";
import { citi } from "./citi/index.js";
import { paypal } from "./paypal/index.js";
import { usBank } from "./us-bank/index.js";
import { wellsFargo } from "./wells-fargo/index.js";

export const PROVIDER_MODULES: readonly ProviderModule[] = [chase, wellsFargo, citi, usBank, paypal, amex];
