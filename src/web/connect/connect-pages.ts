/**
 * The pages between banks and at the end of a connect session: the next bank, the completion, and
 * the hand-back to the app. A bank hop is a plain link (not a form): the bank's form that sent the
 * person here could not have allowed a redirect on to another bank under its form-action.
 */
import { Html, html } from "../html.js";
import { layout } from "../page-layout.js";

/** A bank the person connected in this session. */
export interface LinkedBank {
  name: string;
}

export function nextBankPage(options: { appName: string; done: LinkedBank[]; nextBank: string; nextUrl: string; userId: string }): Html {
  return layout({
    title: `Next: ${options.nextBank}`,
    signedInAs: options.userId,
    main: html`<h1>Next: ${options.nextBank}</h1>
      ${linkedList(options.done)}
      <p>Now log in at ${options.nextBank} on its own page and choose the accounts to share with ${options.appName}.</p>
      <p class="actions"><a class="button primary" href="${options.nextUrl}">Continue to ${options.nextBank}</a></p>`,
  });
}

export function completionPage(options: { appName: string; linked: LinkedBank[]; endsOn: string; returnUrl: string; userId: string }): Html {
  return layout({
    title: "You are connected",
    signedInAs: options.userId,
    main: html`<h1>You are connected</h1>
      ${linkedList(options.linked)}
      <p>Shared with ${options.appName} until ${options.endsOn}. See, renew or stop it at any time on <a href="/connections">your connections page</a>.</p>
      <p class="actions"><a class="button primary" href="${options.returnUrl}">Return to ${options.appName}</a></p>`,
  });
}

/** Back to the app with the outcome: at once (meta refresh, no script), with a link in case. */
export function returnToAppPage(options: { appName: string; title: string; message: string; returnUrl: string }): Html {
  const page = layout({
    title: options.title,
    main: html`<h1>${options.title}</h1>
      <p>${options.message}</p>
      <p class="actions"><a class="button primary" href="${options.returnUrl}">Return to ${options.appName}</a></p>`,
  });
  return html`${new Html(page.text.replace("</title>", `</title>\n<meta http-equiv="refresh" content="0;url=${html`${options.returnUrl}`.text}">`))}`;
}

function linkedList(banks: LinkedBank[]): Html {
  if (banks.length === 0) return html``;
  return html`<ul class="linked">
    ${banks.map((b) => html`<li>${b.name}: connected</li>`)}
  </ul>`;
}
