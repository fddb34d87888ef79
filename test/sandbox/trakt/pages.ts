// HTML bodies: Cloudflare/gateway error pages (clients must not expect JSON there) and the
// tiny "trakt.tv/activate" site a browser test can drive.

const page = (title: string, body: string): string =>
  `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>\n`;

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const blockedPage = (): string =>
  page(
    'Attention Required! | Cloudflare',
    '<h1 data-translate="block_headline">Sorry, you have been blocked</h1><h2>You are unable to access api.trakt.tv</h2>',
  );

export const unavailablePage = (): string =>
  page('503 Service Temporarily Unavailable', '<center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center>');

export const badGatewayPage = (): string =>
  page('502 Bad Gateway', '<center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center>');

export const activateFormPage = (): string =>
  page(
    'Activate your device',
    '<h1>Activate your device</h1><form method="get" action="/activate">' +
      '<label>Code <input id="code" name="code" autocomplete="off"></label> <button type="submit" id="continue">Continue</button></form>',
  );

export const activateCodePage = (userCode: string): string =>
  page(
    'Authorize app',
    `<h1>Authorize app</h1><p>Code: <strong id="user-code">${escape(userCode)}</strong></p>` +
      `<form method="post" action="/activate/${encodeURIComponent(userCode)}">` +
      '<button type="submit" name="decision" value="approve" id="approve">Approve</button> ' +
      '<button type="submit" name="decision" value="deny" id="deny">Deny</button></form>',
  );

export const messagePage = (message: string): string => page(message, `<p id="message">${escape(message)}</p>`);
