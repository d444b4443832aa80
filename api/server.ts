import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Socket } from 'node:net';

/** Where the API listens unless told otherwise: every interface, so other machines on the network reach it. */
export const API_HOST = '0.0.0.0';

/**
 * A request Node refuses before the app sees it (a URL or headers over Node's 16 KB, a request
 * line that is not HTTP): Node's own answer is a bare status and an empty body. This answers it
 * as the app answers everything else, problem+json that says what to change, in both languages
 * since the headers that would name the caller's language were not read; a browser (its Accept
 * prefers HTML) gets a small page instead, since a person sees it (another site's cookies on the
 * same domain can push every request over the limit).
 */
export function clientErrorAnswer(code: string | undefined, accept?: string): string {
  const tooLarge = code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const page = prefersHtml(accept);
  const body = page ? errorPage(tooLarge) : problemJson(tooLarge, status);
  return [
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}`,
    `Content-Type: ${page ? 'text/html' : 'application/problem+json'}; charset=utf-8`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function problemJson(tooLarge: boolean, status: number): string {
  return JSON.stringify({
    type: `https://rectify.dev/problems/${tooLarge ? 'header-too-large' : 'malformed-request'}`,
    title: tooLarge ? '请求头过大 / Request header fields too large' : '请求格式错误 / Malformed request',
    status,
    detail: tooLarge
      ? '地址或请求头超过 16 KB：请缩短查询参数（长的查询请改用分页或筛选），或去掉过大的请求头 / the URL or the headers exceed 16 KB: shorten the query (page or filter instead of one long query) or drop the oversized header'
      : '这不是一个可读的 HTTP 请求 / this is not a readable HTTP request',
  });
}

/** Whether the client ranks HTML before JSON: a browser's Accept, not a script's. */
function prefersHtml(accept: string | undefined): boolean {
  const a = (accept ?? '').toLowerCase();
  const html = a.indexOf('text/html');
  const json = a.search(/application\/([a-z0-9.+-]+\+)?json/);
  return html >= 0 && (json < 0 || html < json);
}

/**
 * The page a person sees, with no app behind it (the request never reached it): what happened and
 * what to do, Chinese first and English beside it, with nothing the page would need to load.
 */
function errorPage(tooLarge: boolean): string {
  const [zhTitle, enTitle, zhWhat, enWhat, zhDo, enDo] = tooLarge
    ? [
        '地址或 Cookie 过大',
        'Address or cookies too large',
        '浏览器发来的地址或 Cookie 超过了 16 KB，服务器没有读取这次请求。常见原因是同一域名下其他网站存下了很多 Cookie。',
        'Your browser sent an address or cookies over 16 KB, so the server did not read the request. Often other sites on the same domain have stored many cookies.',
        '请在浏览器设置中清除本网站的 Cookie（清除后需要重新登录），然后重新打开链接；如果是很长的链接，请从菜单重新进入。',
        'Clear this site’s cookies in your browser settings (you will need to sign in again), then open the link again; if the link itself is very long, open the page from the menu instead.',
      ]
    : [
        '请求无法读取',
        'The request could not be read',
        '服务器收到的不是一个可读的网页请求。',
        'The server received something that is not a readable web request.',
        '请重新打开链接；如果仍然出现，请清除本网站的 Cookie 后再试。',
        'Open the link again; if this keeps happening, clear this site’s cookies and try again.',
      ];
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${zhTitle} / ${enTitle}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.6}p[lang=en]{color:#444}</style></head>
<body>
<h1>${zhTitle}</h1>
<p>${zhWhat}</p>
<p><strong>${zhDo}</strong></p>
<h2 lang="en">${enTitle}</h2>
<p lang="en">${enWhat}</p>
<p lang="en"><strong>${enDo}</strong></p>
</body>
</html>
`;
}

/** The Accept header of a refused request, as far as Node read it (its raw bytes, unparsed). */
function acceptOf(raw: Buffer | undefined): string | undefined {
  if (!raw) return undefined;
  const text = raw.toString('latin1');
  return /\r?\naccept[ \t]*:[ \t]*([^\r\n]*)/i.exec(text)?.[1];
}

function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Socket): void {
  // A connection the client dropped has no one left to answer.
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorAnswer(err.code, acceptOf(err.rawPacket)));
}

/**
 * Serves the app on a port; resolves once it listens, rejects with the listen error
 * (EADDRINUSE when another process took the port since it was checked).
 */
export function listen(app: Hono, port: number, hostname = API_HOST): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, () => {
      server.off('error', reject);
      resolve(server);
    });
    server.on('clientError', answerClientError);
    server.once('error', reject);
  });
}
