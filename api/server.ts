import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Socket } from 'node:net';

/** Where the API listens unless told otherwise: every interface, so other machines on the network reach it. */
export const API_HOST = '0.0.0.0';

/**
 * A request Node refuses before the app sees it (a URL or headers over Node's 16 KB, a request
 * line that is not HTTP): Node's own answer is a bare status and an empty body. This answers it
 * as the app answers everything else, problem+json that says what to change, in both languages
 * since the headers that would name the caller's language were not read.
 */
export function clientErrorAnswer(code: string | undefined): string {
  const tooLarge = code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    type: `https://rectify.dev/problems/${tooLarge ? 'header-too-large' : 'malformed-request'}`,
    title: tooLarge ? '请求头过大 / Request header fields too large' : '请求格式错误 / Malformed request',
    status,
    detail: tooLarge
      ? '地址或请求头超过 16 KB：请缩短查询参数（长的查询请改用分页或筛选），或去掉过大的请求头 / the URL or the headers exceed 16 KB: shorten the query (page or filter instead of one long query) or drop the oversized header'
      : '这不是一个可读的 HTTP 请求 / this is not a readable HTTP request',
  });
  return [
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}`,
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  // A connection the client dropped has no one left to answer.
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorAnswer(err.code));
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
