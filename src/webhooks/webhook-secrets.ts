/**
 * Which secret verifies a bank's webhooks: the configured one (WEBHOOK_SECRETS), else — outside
 * production only — the dev secret the mock banks sign with (mocks/events/webhook-signing.ts uses
 * the same formula). In production a bank without a configured secret has no webhooks (404).
 */
import type { RealtimeConfig } from "../config.js";

/** The dev secret of an institution; public by design, never accepted in production. */
export function devWebhookSecret(institutionId: string): string {
  return `bankgraph-dev-webhook-secret:${institutionId}`;
}

/** Resolves institution → secret from config. */
export function webhookSecretResolver(config: Pick<RealtimeConfig, "webhookSecrets" | "devWebhookSecrets">): (institutionId: string) => string | undefined {
  return (institutionId) =>
    Object.hasOwn(config.webhookSecrets, institutionId)
      ? config.webhookSecrets[institutionId]
      : config.devWebhookSecrets
        ? devWebhookSecret(institutionId)
        : undefined;
}
