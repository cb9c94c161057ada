/**
 * `bankgraph client add|list|remove`: registers the apps that may call Bankgraph, in the store the
 * gateway uses (DATABASE_URL or DATA_DIR). A webhook signing key is read from a file (never from
 * the command line, where shell history and `ps` would keep it), stored encrypted with
 * TOKEN_ENCRYPTION_KEY, and only ever shown as a fingerprint.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { AppRegistry, type AppListing } from "../apps/app-registry.js";
import { loadConfig } from "../config.js";
import { GatewayError } from "../errors.js";
import { ClientRepository } from "../store/client-repository.js";
import { migrate } from "../store/migrate.js";
import { openDatabase } from "../store/open-database.js";
import { createTokenCipher } from "../store/token-cipher.js";

const USAGE = `Usage:
  bankgraph client add --id <id> --name <display name> --legal-name <company> --purpose <PURPOSE> [--purpose …]
                       --scope <scope> [--scope …] --redirect-uri <exact URI> [--redirect-uri …]
                       [--webhook-url <https URL> --webhook-key-file <path>]
  bankgraph client list
  bankgraph client remove <id>
`;

function describe(app: AppListing): string {
  return JSON.stringify(app);
}

export async function clientCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== "add" && action !== "list" && action !== "remove") {
    process.stderr.write(USAGE);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: action === "remove",
    options: {
      id: { type: "string" },
      name: { type: "string" },
      "legal-name": { type: "string" },
      purpose: { type: "string", multiple: true },
      scope: { type: "string", multiple: true },
      "redirect-uri": { type: "string", multiple: true },
      "webhook-url": { type: "string" },
      "webhook-key-file": { type: "string" },
    },
  });
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const apps = new AppRegistry({ clients: new ClientRepository(db), cipher: createTokenCipher(config.tokenEncryptionKey) });
    switch (action) {
      case "list":
        for (const app of await apps.list()) process.stdout.write(`${describe(app)}\n`);
        return 0;
      case "remove": {
        const id = positionals[0];
        if (!id) {
          process.stderr.write(USAGE);
          return 2;
        }
        if (!(await apps.remove(id))) {
          process.stderr.write(`No registered app ${id}\n`);
          return 1;
        }
        process.stdout.write(`removed ${id}: its tokens are refused from now on (its consents and their history are kept)\n`);
        return 0;
      }
      case "add": {
        const keyFile = values["webhook-key-file"];
        const webhookKey = keyFile ? (await readFile(keyFile, "utf8")).trim() : undefined;
        const app = await apps.register({
          id: values.id,
          displayName: values.name,
          legalName: values["legal-name"],
          allowedPurposes: values.purpose ?? [],
          allowedScopes: values.scope ?? [],
          redirectUris: values["redirect-uri"] ?? [],
          ...(values["webhook-url"] ? { webhookUrl: values["webhook-url"] } : {}),
          ...(webhookKey ? { webhookKey } : {}),
        });
        process.stdout.write(`registered ${describe(app)}\n`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof GatewayError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await db.close();
  }
}
