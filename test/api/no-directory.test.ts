import { describe, expect, it } from 'vitest';
import { appOnOwnTables } from '../support/own-tables-app.ts';

/**
 * A fresh deployment before an admin has loaded the campus directory: the pages a student reaches
 * by scanning a code (and the places list the QR sheet reads) answered 500. They say, in the
 * reader's language, that the directory is not loaded yet. Own tables, never given a directory.
 */
const own = appOnOwnTables('nodir');

describe('before any directory is loaded', () => {
  it('a scanned code answers 503 with a page saying so, in Chinese by default and in English when asked', async () => {
    const zh = await own.app.request('/r/abc123');
    expect(zh.status).toBe(503);
    expect(zh.headers.get('content-type')).toMatch(/text\/html/);
    const zhHtml = await zh.text();
    expect(zhHtml).toContain('尚未加载校园名录');
    expect(zhHtml).toContain('<html lang="zh-CN"');

    const en = await own.app.request('/r/abc123', { headers: { 'accept-language': 'en' } });
    expect(en.status).toBe(503);
    expect(await en.text()).toContain('no campus directory is loaded yet');
  });

  it('posting a report to a code is the same 503, not a 500', async () => {
    const form = new URLSearchParams({ kind: 'repair', description: 'leaking tap', contact: '' });
    const res = await own.app.request('/r/abc123', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('尚未加载校园名录');
  });

  it('the places list answers 503 problem+json', async () => {
    const res = await own.app.request('/api/places');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
