/**
 * /passkeys: the signed-in person's passkeys (name, when added, last used), each removable, and
 * the way to add one. Adding needs the browser's WebAuthn and the page's script; without script
 * the page says so and the add button stays hidden.
 */
import type { StoredPasskey } from "../../store/passkey-repository.js";
import { csrfField } from "../csrf.js";
import { html, type Html } from "../html.js";
import { layout } from "../page-layout.js";
import { PAGE_SCRIPTS } from "../page-scripts.js";
import type { TimeFormats } from "../time-zone.js";

export interface PasskeysPageOptions {
  passkeys: readonly StoredPasskey[];
  userId: string;
  csrfToken: string;
  time: TimeFormats;
  /** Where to go once a passkey is added (a payment waiting for confirmation), else back here. */
  next: string;
}

export function passkeysPage(o: PasskeysPageOptions): Html {
  const returning = o.next !== "/passkeys";
  return layout({
    title: "Your passkeys",
    signedInAs: o.userId,
    scripts: [PAGE_SCRIPTS.webAuthn, PAGE_SCRIPTS.passkeyPages],
    main: html`<h1>Your passkeys</h1>
      <p>
        A passkey lets you confirm payments on this device with your PIN, fingerprint or face. Bankgraph keeps only its public part; your PIN or fingerprint
        never leaves your device.
      </p>
      ${
        o.passkeys.length === 0
          ? html`<p>You have no passkey yet.</p>`
          : html`<ul class="plain passkeys">
              ${o.passkeys.map(
                (p) =>
                  html`<li>
                    <strong>${p.label}</strong>, added ${o.time.dateTime(p.createdAt)};
                    ${p.lastUsedAt ? `last used ${o.time.dateTime(p.lastUsedAt)}` : "never used yet"}.
                    <form method="post" action="/passkeys/${encodeURIComponent(p.credentialId)}/remove" class="inline">
                      ${csrfField(o.csrfToken)}
                      <button class="secondary" type="submit">Remove<span class="visually-hidden"> ${p.label}</span></button>
                    </form>
                  </li>`,
              )}
            </ul>`
      }
      <section
        id="add-passkey"
        aria-labelledby="add-heading"
        data-csrf="${o.csrfToken}"
        data-options-url="/passkeys/options"
        data-add-url="/passkeys"
        data-next="${o.next}"
      >
        <h2 id="add-heading">Add a passkey</h2>
        ${returning ? html`<p>Once it is added you go straight back to the payment waiting for you.</p>` : ""}
        <p class="needs-script">Adding a passkey needs JavaScript, which is off or not available in this browser.</p>
        <p>
          <label for="passkey-label">Name it, so you recognise it later</label>
          <input id="passkey-label" name="label" type="text" maxlength="60" value="This device" required />
        </p>
        <p><button class="primary" type="button" data-passkey hidden>Add a passkey</button></p>
        <p role="status" aria-live="polite"></p>
      </section>
      <p><a href="/connections">Back to your connections</a></p>`,
  });
}
