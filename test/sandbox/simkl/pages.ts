// HTML bodies: the simkl.com pages a browser test drives (PIN entry, OAuth consent) and the
// Cloudflare/nginx pages a client must not parse as JSON.

const page = (title: string, body: string): string =>
  `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>\n`;

export const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const blockedPage = (): string =>
  page(
    'Attention Required! | Cloudflare',
    '<h1 data-translate="block_headline">Sorry, you have been blocked</h1><h2>You are unable to access api.simkl.com</h2>',
  );

export const messagePage = (message: string): string => page(message, `<p id="message">${escape(message)}</p>`);

export const pinFormPage = (): string =>
  page(
    'Connect your device',
    '<h1>Connect your device</h1><form method="get" action="/pin">' +
      '<label>Code <input id="code" name="code" autocomplete="off"></label> <button type="submit" id="continue">Continue</button></form>',
  );

const decisionButtons =
  '<button type="submit" name="decision" value="approve" id="approve">Approve</button> ' +
  '<button type="submit" name="decision" value="deny" id="deny">Deny</button>';

export const pinCodePage = (userCode: string): string =>
  page(
    'Authorize app',
    `<h1>Authorize app</h1><p>Code: <strong id="user-code">${escape(userCode)}</strong></p>` +
      `<form method="post" action="/pin/${encodeURIComponent(userCode)}">${decisionButtons}</form>`,
  );

/** The consent page of the code flow; the request's parameters ride along as hidden fields. */
export function authorizePage(params: Record<string, string>): string {
  const hidden = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
    .join('');
  return page('Authorize app', `<h1>Authorize app</h1><form method="post" action="/oauth/authorize">${hidden}${decisionButtons}</form>`);
}
