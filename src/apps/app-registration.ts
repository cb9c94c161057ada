/**
 * What registering an app takes, validated once (zod) for every way in: `bankgraph client add`,
 * the CLIENTS_FILE a deployment applies at start, and the test harness.
 */
import { z } from "zod";
import { SCOPES } from "../domain/consent.js";
import { ConsentPurpose } from "../domain/consent.js";
import { badInput } from "../errors.js";
import { FORBIDDEN_PURPOSES } from "../consent/purposes.js";

/** http is accepted only for the machine itself (development); everything else must be https. */
function secureUrl(what: string) {
  return z
    .string()
    .max(2048)
    .url(`${what} must be an absolute URL`)
    .refine((value) => {
      const url = new URL(value);
      const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
      return url.protocol === "https:" || (url.protocol === "http:" && local);
    }, `${what} must use https (http only for localhost)`)
    .refine((value) => !value.includes("#"), `${what} must not have a fragment`);
}

const purpose = z.string().transform((value, ctx) => {
  if ((FORBIDDEN_PURPOSES as readonly string[]).includes(value)) {
    ctx.addIssue({ code: "custom", message: `${value} can never be allowed (CFPB 1033 forbids advertising, marketing and resale)` });
    return z.NEVER;
  }
  if (!(Object.values(ConsentPurpose) as string[]).includes(value)) {
    ctx.addIssue({ code: "custom", message: `unknown purpose ${value}; known: ${Object.values(ConsentPurpose).join(", ")}` });
    return z.NEVER;
  }
  return value as ConsentPurpose;
});

/** One app's registration. */
export const appRegistrationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "id: 2-63 characters, lower-case letters, digits and '-'"),
    displayName: z.string().trim().min(1).max(60),
    legalName: z.string().trim().min(1).max(120),
    allowedPurposes: z.array(purpose).min(1),
    allowedScopes: z.array(z.enum(SCOPES)).min(1),
    redirectUris: z.array(secureUrl("a redirect URI")).min(1).max(20),
    webhookUrl: secureUrl("the webhook URL").optional(),
    /** The key the gateway signs this app's webhooks with (at least 32 characters). */
    webhookKey: z.string().min(32, "the webhook key must be at least 32 characters").max(512).optional(),
  })
  .strict()
  .refine((app) => !app.webhookUrl || app.webhookKey, { message: "a webhook URL needs a webhookKey", path: ["webhookKey"] });

/** A validated registration. */
export type AppRegistration = z.infer<typeof appRegistrationSchema>;

/** The shape of a CLIENTS_FILE: `{ "clients": [AppRegistration, …] }`. */
export const clientsFileSchema = z.object({ clients: z.array(appRegistrationSchema) }).strict();

/** Turns zod's issues into one sentence naming every bad field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** Validates one registration; throws BAD_USER_INPUT naming every bad field. */
export function parseAppRegistration(input: unknown): AppRegistration {
  const parsed = appRegistrationSchema.safeParse(input);
  if (!parsed.success) throw badInput(`Invalid app registration: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
