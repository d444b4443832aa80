import { Hono } from 'hono';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readForm } from './form-body.ts';

const app = new Hono().post('/f', async (c) => {
  const form = await readForm(c);
  return form === undefined ? c.text('unreadable', 400) : c.json(form);
});

const post = (body: string | Uint8Array, headers: Record<string, string>) =>
  app.request('/f', { method: 'POST', body, headers });

describe('readForm', () => {
  const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' };

  it('reads a plain form, with or without an identity encoding', async () => {
    expect(await (await post('a=1&b=%E4%BD%A0', urlencoded)).json()).toEqual({ a: '1', b: '你' });
    const identity = await post('a=1', { ...urlencoded, 'content-encoding': ' Identity ' });
    expect(await identity.json()).toEqual({ a: '1' });
  });

  it('takes a compressed form for unreadable, not for fields of garbage', async () => {
    const res = await post(gzipSync('a=1&b=2'), { ...urlencoded, 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('unreadable');
  });

  it('takes a multipart body without its boundary for unreadable', async () => {
    const res = await post('--x\r\n', { 'content-type': 'multipart/form-data' });
    expect(res.status).toBe(400);
  });
});
