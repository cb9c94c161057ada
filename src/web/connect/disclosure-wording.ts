/**
 * The wording table moved down to src/consent/consent-wording.ts, so signed receipts (a layer
 * below the pages) read the very words the disclosure showed. This re-export keeps page code
 * written against the old path working; import from src/consent/ in new code.
 */
export { PURPOSE_WORDING, SCOPE_WORDING, USE_LIMITS, type ScopeWording } from "../../consent/consent-wording.js";
