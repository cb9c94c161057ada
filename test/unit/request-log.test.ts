/**
 * RequestLog (mocks/request-log.ts), the mock banks' record of the requests they received, kept in
 * columns: against a plain model (one object per request, as the log used to be), any sequence of
 * arrivals, routings, ends and resets answers the same entries; a request still open across a reset
 * is not logged into the new log; past its bound the older half is forgotten, newest kept.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CallKind } from "../../mocks/bank.js";
import { type MockBankRequest, RequestLog } from "../../mocks/request-log.js";

const OPS = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant("arrive" as const),
        method: fc.constantFrom("GET", "POST"),
        path: fc.constantFrom("/a", "/b/c", "/v3/accounts"),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("route" as const), pick: fc.nat(), call: fc.constantFrom<CallKind>("accounts", "transactions", "auth") }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("end" as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
  ),
  { maxLength: 80 },
);

describe("RequestLog", () => {
  it("answers what one object per request would, across resets", () => {
    fc.assert(
      fc.property(OPS, (ops) => {
        const log = new RequestLog();
        let model: MockBankRequest[] = [];
        // Every request ever logged: its handle, and its model entry (detached from the model once reset).
        const requests: Array<{ handle: number; entry: MockBankRequest }> = [];
        let clock = 0;
        for (const op of ops) {
          clock += 1;
          if (op.kind === "arrive") {
            const entry: MockBankRequest = { method: op.method, path: op.path, kind: null, startedAt: clock, endedAt: null };
            model.push(entry);
            requests.push({ handle: log.arrived(op.method, op.path, clock), entry });
          } else if (op.kind === "clear") {
            log.clear();
            model = [];
          } else if (requests.length > 0) {
            const { handle, entry } = requests[op.pick % requests.length]!;
            if (op.kind === "route") {
              log.routed(handle, op.call);
              entry.kind = op.call;
            } else {
              log.ended(handle, clock);
              entry.endedAt = clock;
            }
          }
          expect(log.entries()).toEqual(model);
        }
      }),
    );
  });

  it("keeps the newest half once it holds a million entries", () => {
    const log = new RequestLog();
    let last = 0;
    for (let i = 0; i < 1_000_001; i++) last = log.arrived("GET", "/a", i);
    log.ended(last, 2_000_000);
    const entries = log.entries();
    expect(entries).toHaveLength(500_001);
    expect(entries[0]!.startedAt).toBe(500_000);
    expect(entries.at(-1)).toEqual({ method: "GET", path: "/a", kind: null, startedAt: 1_000_000, endedAt: 2_000_000 });
  });
});
