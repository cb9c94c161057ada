/**
 * The one table of which scopes each purpose may carry (src/consent/purposes.ts): a request passes
 * exactly when every scope it names is in its purpose's row.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConsentPurpose, SCOPES } from "../../../src/domain/consent.js";
import { assertScopesFitPurpose, SCOPES_BY_PURPOSE } from "../../../src/consent/purposes.js";

describe("SCOPES_BY_PURPOSE", () => {
  it("never lets fraud protection carry identity, and gives every purpose accounts:read", () => {
    expect(SCOPES_BY_PURPOSE[ConsentPurpose.FRAUD_PROTECTION]).not.toContain("identity:read");
    for (const purpose of Object.values(ConsentPurpose)) expect(SCOPES_BY_PURPOSE[purpose]).toContain("accounts:read");
  });

  it("accepts a request exactly when its scopes are within the purpose's row", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(ConsentPurpose)), fc.subarray([...SCOPES], { minLength: 1 }), (purpose, scopes) => {
        const fits = scopes.every((s) => SCOPES_BY_PURPOSE[purpose].includes(s));
        if (fits) expect(() => assertScopesFitPurpose(purpose, scopes)).not.toThrow();
        else
          expect(() => assertScopesFitPurpose(purpose, scopes)).toThrow(
            expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT", reason: "SCOPE_BEYOND_PURPOSE" }) }),
          );
      }),
    );
  });
});
