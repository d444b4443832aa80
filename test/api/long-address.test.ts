import { describe, expect, it } from 'vitest';
import { MAX_PAGE_ADDRESS, safeNext } from '../../api/middleware/session.ts';
import { createSession } from '../../store/sessions.ts';
import { useApiStack } from './harness.ts';

/**
 * A page address too long to open (a pasted search of 8,100 characters) is a 414 page that says so
 * and links the page without its query, whoever asks: never a trip to the sign-in page, whose
 * `next` would carry the address back again.
 */
const s = useApiStack();

const signedIn = async () => {
  const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
  return { cookie: `rectify_session=${sess.id}` };
};
const linkBack = (html: string) => /<a href="([^"]*)" data-without-query/.exec(html)?.[1];

describe('a page address too long to open', () => {
  it('is a 414 page with a link to the page without its query, signed in or not', async () => {
    const headers = await signedIn();
    for (const [address, back] of [
      [`/app/cases?q=${'a'.repeat(8100)}`, '/app/cases'],
      [`/app?z=${'a'.repeat(8100)}`, '/app'],
    ] as const) {
      for (const h of [headers, {}]) {
        const res = await s.app.request(address, { headers: h });
        expect(res.status, address.slice(0, 12)).toBe(414);
        expect(res.headers.get('location')).toBeNull();
        const html = await res.text();
        expect(html).toContain(`网址过长：这个地址有 ${address.length} 个字符，最多 ${MAX_PAGE_ADDRESS} 个`);
        expect(html).toContain('The address is too long');
        expect(linkBack(html)).toBe(back);
      }
    }
    const en = await (await s.app.request(`/app/cases?lang=en&q=${'a'.repeat(8100)}`, { headers })).text();
    expect(en).toContain('<title>Error: Address too long');
    expect(en).toContain('Open the page without its query');
  });

  it('within the limit is the page’s own answer (a search over 200 characters is the search’s 400)', async () => {
    const res = await s.app.request(`/app/cases?q=${'a'.repeat(7900)}`, { headers: await signedIn() });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('最多 200 个字符');
  });

  it('signed out just within it, is sent to sign in with a next that sign-in can open; a next too long is its path', async () => {
    const res = await s.app.request(`/app/cases?q=${'%E4%B8%AD'.repeat(880)}`);
    expect(res.status).toBe(302);
    const login = res.headers.get('location') ?? '';
    expect(login.length).toBeLessThanOrEqual(MAX_PAGE_ADDRESS);
    expect(login).toBe('/login?next=%2Fapp%2Fcases');
    // Sign-in's own address that long is refused as too long too, linking the sign-in page.
    const tooLong = await s.app.request(`/login?next=${encodeURIComponent(`/app?z=${'a'.repeat(8100)}`)}`);
    expect(tooLong.status).toBe(414);
    expect(linkBack(await tooLong.text())).toBe('/login');
    // A next too long to open (kept by the identity provider's round trip) comes back as its page alone.
    expect(safeNext(`/app/cases?q=${'a'.repeat(MAX_PAGE_ADDRESS)}`)).toBe('/app/cases');
    expect(safeNext(`/app/cases?q=${'a'.repeat(100)}`)).toBe(`/app/cases?q=${'a'.repeat(100)}`);
  });
});
