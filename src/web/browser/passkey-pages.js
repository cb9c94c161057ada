/*
 * The passkey pages' one script (Bankgraph's own; served from 'self', no inline script). The
 * WebAuthn work is @simplewebauthn/browser's (loaded before this file): this only asks the gateway
 * for options, hands them to the browser, and posts the answer back with the page's CSRF token.
 *
 *   #add-passkey      /passkeys: add a passkey for the signed-in person, then go on to `data-next`
 *   #payment-confirm  /payments/<id>/confirm: confirm the payment whose details the element carries
 *
 * Without this script the pages say plainly that a passkey needs JavaScript; the buttons stay hidden.
 */
"use strict";
(function () {
  var webAuthn = window.SimpleWebAuthnBrowser;

  /** POSTs JSON to the gateway; the gateway answers JSON { ok, message, … } (a refused CSRF token answers a page). */
  async function post(url, body) {
    var response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    if (!(response.headers.get("content-type") || "").startsWith("application/json")) {
      return { ok: false, message: "We could not do this. Reload the page to see where things stand, and try again if needed." };
    }
    return response.json();
  }

  /** Shows the button (hidden without script), hides the "needs JavaScript" note, and runs `act` on click. */
  function wire(root, act) {
    var button = root.querySelector("button[data-passkey]");
    var status = root.querySelector("[role=status]");
    var note = root.querySelector(".needs-script");
    if (!button || !status || !webAuthn || !webAuthn.browserSupportsWebAuthn()) return;
    if (note) note.hidden = true;
    button.hidden = false;
    button.addEventListener("click", async function () {
      button.disabled = true;
      try {
        var failure = await act(function (text) {
          status.textContent = text;
        });
        if (failure) status.textContent = failure;
      } catch (error) {
        status.textContent =
          error && error.name === "NotAllowedError"
            ? "Your device did not confirm it was you, or you cancelled. Nothing was done."
            : "Your device could not use a passkey here. Nothing was done.";
      } finally {
        button.disabled = false;
      }
    });
  }

  var adding = document.getElementById("add-passkey");
  if (adding) {
    wire(adding, async function (say) {
      var csrf = adding.dataset.csrf;
      var label = adding.querySelector("input[name=label]").value;
      var options = await post(adding.dataset.optionsUrl, { csrf_token: csrf });
      if (!options.ok) return options.message;
      say("Follow your device: it will ask for your PIN, fingerprint or face.");
      var answer = await webAuthn.startRegistration({ optionsJSON: options.options });
      var added = await post(adding.dataset.addUrl, { csrf_token: csrf, label: label, response: answer });
      if (!added.ok) return added.message;
      say(added.message);
      window.location.assign(adding.dataset.next);
      return null;
    });
  }

  var paying = document.getElementById("payment-confirm");
  if (paying) {
    wire(paying, async function (say) {
      var d = paying.dataset;
      // Exactly what the page shows: the passkey's challenge is bound to these details.
      var details = {
        amount: d.amount,
        currency: d.currency,
        fee: d.fee === undefined ? null : d.fee,
        payeeKind: d.payeeKind,
        payee: d.payee,
        reference: d.reference,
        fromAccountMask: d.fromAccountMask,
      };
      var options = await post(d.optionsUrl, { csrf_token: d.csrf, details: details });
      if (!options.ok) return options.message;
      say("Follow your device: it will ask for your PIN, fingerprint or face.");
      var answer = await webAuthn.startAuthentication({ optionsJSON: options.options });
      say("Confirming…");
      var confirmed = await post(d.confirmUrl, { csrf_token: d.csrf, details: details, response: answer });
      if (!confirmed.ok) return confirmed.message;
      window.location.assign(d.next);
      return null;
    });
  }
})();
