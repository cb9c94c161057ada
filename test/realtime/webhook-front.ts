/**
 * A front door for the gateway's webhooks that a test can take down: over real HTTP it forwards
 * each bank delivery to the gateway it points at, or — while down — answers 503 without the
 * gateway ever seeing it, as a load balancer does for a gateway that is away. It counts the
 * deliveries it turned away, so a test waits for the bank to have retried instead of sleeping.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningGateway } from "../../src/server/app.js";

const HOP_BY_HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

export class WebhookFront {
  private server!: Server;
  private gateway: Pick<RunningGateway, "port"> | undefined;
  private turnedAway = 0;
  private waiters: Array<() => void> = [];

  /** Starts listening; returns the URL to give the banks as their webhook target. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => void this.forward(req.url!, req.headers, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks`;
  }

  /** Forwards to this gateway from now on (undefined: down, every delivery answered 503). */
  pointAt(gateway: Pick<RunningGateway, "port"> | undefined): void {
    this.gateway = gateway;
  }

  /** Resolves once `count` deliveries in all have been turned away. */
  turnedAwayAtLeast(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.turnedAway >= count ? resolve() : this.waiters.push(check));
      check();
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async forward(path: string, headers: NodeJS.Dict<string | string[]>, body: Buffer, res: import("node:http").ServerResponse): Promise<void> {
    if (!this.gateway) {
      this.turnedAway++;
      for (const wake of this.waiters.splice(0)) wake();
      return void res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ error: "gateway away" }));
    }
    const forwarded: Record<string, string> = {};
    // The bank's own headers (signature, timestamp, content type); the connection-level ones are the front's business.
    for (const [name, value] of Object.entries(headers)) if (typeof value === "string" && !HOP_BY_HOP.has(name)) forwarded[name] = value;
    try {
      const answer = await fetch(`http://127.0.0.1:${this.gateway.port}${path}`, { method: "POST", headers: forwarded, body });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    } catch {
      res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ error: "gateway unreachable" }));
    }
  }
}
