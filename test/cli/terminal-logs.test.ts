/**
 * Readable logs on a terminal, JSON everywhere else: `bankgraph serve` pretty-prints (pino-pretty)
 * only when stdout is a TTY outside production. The JSON path is unchanged (test/cli/serve-urls
 * reads the spawned CLI's JSON lines).
 */
import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { createLogger, terminalDestination } from "../../src/observability/logger.js";

it("keeps JSON lines when stdout is not a terminal, or in production", () => {
  expect(terminalDestination({ production: false, stdout: { isTTY: false } })).toBeUndefined();
  expect(terminalDestination({ production: false, stdout: {} })).toBeUndefined();
  expect(terminalDestination({ production: true, stdout: { isTTY: true } })).toBeUndefined();
});

it("pretty-prints on a terminal in development (pino-pretty, a declared dependency)", () => {
  const destination = terminalDestination({ production: false, stdout: { isTTY: true } });
  expect(typeof destination?.write).toBe("function");
});

it("writes one JSON object per line to a non-terminal destination, redaction included", () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  createLogger("info", sink).info({ url: "http://localhost:4000/graphql", headers: { authorization: "Bearer secret" } }, "Bankgraph ready");
  expect(lines.map((line) => JSON.parse(line))).toEqual([
    expect.objectContaining({
      level: 30,
      service: "bankgraph",
      msg: "Bankgraph ready",
      url: "http://localhost:4000/graphql",
      headers: { authorization: "[redacted]" },
    }),
  ]);
});
