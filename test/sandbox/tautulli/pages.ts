// HTML the web UI (or a proxy in front of it) answers: clients pointed at the wrong URL, or
// behind an auth proxy, get these instead of JSON and must say so.

const page = (title: string, body: string): string =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>\n`;

export const loginPage = (): string =>
  page(
    'Tautulli - Login',
    '<div class="login-container"><h1>Tautulli</h1><form action="auth/signin" method="post">' +
      '<input type="text" name="username" placeholder="Username"><input type="password" name="password" placeholder="Password">' +
      '<button type="submit">Sign In</button></form></div>',
  );

export const notFoundPage = (path: string): string =>
  page(
    '404 Not Found',
    `<h2>404 Not Found</h2><p>The path '${path.replace(/[<>&'"]/g, '')}' was not found.</p><div id="powered_by"><span>Powered by <a href="http://www.cherrypy.dev">CherryPy 18.10.0</a></span></div>`,
  );
