/**
 * The thinnest server node has (node:http) for a baseline: each POST's JSON body is handed to
 * `answer`, whose result is sent as JSON (200), or its error's message (502).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { BaselineServer } from "./plain-apollo.js";

export async function serveJsonPosts(answer: (body: unknown) => Promise<unknown>): Promise<BaselineServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the listener catches every error and answers 502
    req.on("end", async () => {
      try {
        const result = await answer(JSON.parse(Buffer.concat(chunks).toString()));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
      } catch (error) {
        res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ error: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
