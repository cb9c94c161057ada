import { parseArgs } from "node:util";
import { mintDevToken } from "../auth/dev-token.js";
import { loadConfig } from "../config.js";

export async function tokenCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      user: { type: "string" },
      client: { type: "string" },
      scope: { type: "string", multiple: true },
      "expires-in": { type: "string" },
    },
  });
  const config = loadConfig();
  if (config.production) {
    process.stderr.write("bankgraph token is for development only; production tokens come from your identity provider.\n");
    return 1;
  }
  if (!values.user || !values.client) {
    process.stderr.write("Usage: bankgraph token --user <id> --client <id> [--scope <scope> ...] [--expires-in <seconds>]\n");
    return 2;
  }
  if (!config.jwt.secret) {
    process.stderr.write("bankgraph token needs JWT_SECRET (HS256); this gateway is configured for asymmetric keys.\n");
    return 1;
  }
  const expiresIn = values["expires-in"] ? Number(values["expires-in"]) : 3600;
  if (!Number.isInteger(expiresIn) || expiresIn <= 0) {
    process.stderr.write("--expires-in must be a positive number of seconds\n");
    return 2;
  }
  const token = await mintDevToken({
    userId: values.user,
    clientId: values.client,
    scopes: values.scope ?? [],
    secret: config.jwt.secret,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    expiresInSeconds: expiresIn,
  });
  process.stdout.write(`${token}\n`);
  return 0;
}
