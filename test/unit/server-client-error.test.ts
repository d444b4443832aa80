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
