import { Hono } from 'hono';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../api/server.ts';

/**
 * Found by a hostile-client probe: a URL or headers over Node's 16 KB got a 431 with an empty body
 * from Node itself, unlike every other refusal. The server now answers it as problem+json.
 */
let server: Awaited<ReturnType<typeof listen>>;
let base: string;
let port: number;
beforeAll(async () => {
  const app = new Hono();
  app.get('/ok', (c) => c.text('ok'));
  server = await listen(app, 0, '127.0.0.1');
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('requests Node refuses before the app', () => {
  it('a URL over 16 KB is a 431 problem+json that says what to shorten', async () => {
    const res = await fetch(`${base}/ok?q=${'x'.repeat(100_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const body = (await res.json()) as { status: number; detail: string; type: string };
    expect(body.status).toBe(431);
    expect(body.type).toBe('https://rectify.dev/problems/header-too-large');
    expect(body.detail).toContain('超过 16 KB');
    expect(body.detail).toContain('shorten the query');
  });

  it('a browser sent oversized cookies gets a page saying what happened and what to do, in both languages', async () => {
    // Other apps on a university domain leave their cookies on every request to this one.
    const res = await fetch(`${base}/app`, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', cookie: `junk=${'a'.repeat(20_000)}` },
    });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('清除本网站的 Cookie');
    expect(page).toContain('重新打开链接');
    expect(page).toContain('Clear this site’s cookies');
    // Chinese first, English beside it.
    expect(page.indexOf('清除本网站的 Cookie')).toBeLessThan(page.indexOf('Clear this site’s cookies'));
    expect(page).not.toContain('"status"');
  });

  it('reads the Accept header after an overlong address too', async () => {
    const res = await fetch(`${base}/app?q=${'x'.repeat(20_000)}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('a client that prefers JSON keeps the problem+json', async () => {
    const res = await fetch(`${base}/ok`, {
      headers: { accept: 'application/json, text/html;q=0.5', cookie: `junk=${'a'.repeat(20_000)}` },
    });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  });

  it('a request that is not HTTP is a 400 problem+json', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += String(d)));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('application/problem+json');
    expect(answer).toContain('"status":400');
  });

  it('an ordinary request still reaches the app', async () => {
    const res = await fetch(`${base}/ok`);
    expect(await res.text()).toBe('ok');
  });
});
