import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, deviceFor, signIn, startWebStack, type WebStack } from './support.ts';

// The calendar page's save, double-clicked: the probe's second click went through and made a
// second version, sent to every running case. The posts are caught here and answered by the
// test, so nothing is saved to the tables other files share.
let s: WebStack;

beforeAll(async () => {
  s = await startWebStack();
});
afterAll(async () => {
  await s?.stop();
});

// Just after a submit (the script's own handler has run): the form's buttons, disabled or not.
const NOTE_BUTTONS = `document.addEventListener('submit', function () {
  setTimeout(function () {
    var b = document.querySelectorAll('#cal-form button');
    sessionStorage.setItem('disabled', JSON.stringify(Array.prototype.map.call(b, function (x) { return x.disabled; })));
  }, 0);
});`;
const CAUGHT = "document.title === 'caught'";

/**
 * Catches the page's posts (answered after a while, as a slow save would be) and lists their
 * bodies. The page notes its buttons' state just after each submit in sessionStorage, which the
 * caught answer (same origin, same tab) still reads: a page waiting on its post answers no script.
 */
async function catchPosts(page: Page): Promise<URLSearchParams[]> {
  await page.addInitScript(NOTE_BUTTONS);
  const posts: URLSearchParams[] = [];
  await page.route(`${s.baseUrl}/app/admin/calendar`, async (route) => {
    const req = route.request();
    if (req.method() !== 'POST') return route.continue();
    posts.push(new URLSearchParams(req.postData() ?? ''));
    await new Promise((r) => setTimeout(r, 1_500));
    await route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>caught</title>',
    });
  });
  return posts;
}

describe('the calendar page’s form', () => {
  it('is sent once on a double click, with the button pressed, its buttons disabled meanwhile', async () => {
    const ctx = await deviceFor(s, DESKTOP);
    const page = await ctx.newPage();
    await signIn(s, page, 'admin-xu');
    const posts = await catchPosts(page);
    await page.goto(`${s.baseUrl}/app/admin/calendar`);
    const text = await page.locator('#cal-text').inputValue();
    const save = page.locator('#cal-form button[value=save]');
    await save.dblclick();
    // And once more while the post is on its way, as the probe did.
    await save.click({ force: true, noWaitAfter: true, timeout: 700 }).catch(() => undefined);
    await page.waitForFunction(CAUGHT);
    expect(posts).toHaveLength(1);
    expect(await page.evaluate("sessionStorage.getItem('disabled')")).toBe('[true,true]');
    expect(posts[0]?.getAll('action')).toEqual(['save']);
    expect(posts[0]?.get('text')?.replace(/\r\n/g, '\n')).toBe(text);

    // The other button says which it was too.
    await page.goto(`${s.baseUrl}/app/admin/calendar`);
    await page.locator('#cal-form button[value=preview]').click();
    await page.waitForFunction(CAUGHT);
    expect(posts).toHaveLength(2);
    expect(posts[1]?.getAll('action')).toEqual(['preview']);
    await ctx.close();
  });
});
