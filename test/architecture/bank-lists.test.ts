/**
 * The provider registry is the one list of banks the gateway serves; tests take their bank lists
 * from it. The mock banks must serve exactly those, or a bank's tests would run against nothing
 * (or a mock would go untested).
 */
import { expect, it } from "vitest";
import { MOCK_BANKS } from "../../mocks/registry.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";

it("the mock banks and the provider registry list the same bank ids", () => {
  const registry = PROVIDER_MODULES.map((m) => m.id).sort();
  const mocks = MOCK_BANKS.map((d) => d.id).sort();
  expect(mocks).toEqual(registry);
  expect(new Set(registry).size).toBe(registry.length);
});
