import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepairByForm, pageSessions } from '../support/page-sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, waitForEmail, type ApiStack } from './harness.ts';

/**
 * One place reads one way wherever a person reads it: the case page's 位置, the assignment mail
 * its assignee gets, and the case's audit timeline ("detected") all name room A101 of Dormitory A
 * as the directory's place name does (domain/place-name.ts), in each language.
 */
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const decoded = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

async function page(path: string, personId: string): Promise<string> {
  const who = await as(personId);
  const res = await s.app.request(path, { headers: { cookie: `rectify_session=${who.id}` } });
  expect(res.status).toBe(200);
  return decoded(await res.text());
}

describe('a case’s place', () => {
  it('reads the same on the case page, in the assignment mail and in the audit timeline', async () => {
    const who = await as('sup-wang');
    const caseId = await openRepairByForm(s.app, who, `place ${uniqueId('t')}`);

    const place = { zh: '学生公寓A栋 A101', en: 'Dormitory A, A101' };
    const mail = await waitForEmail(
      (e) => e.subject.includes(caseId) && e.to.includes('zhao.wei@demo.edu.cn'),
    );
    expect(mail.text).toContain(`地点：${place.zh}`);
    expect(mail.text).toContain(`Place: ${place.en}`);

    for (const [lang, name] of [
      ['zh-CN', place.zh],
      ['en', place.en],
    ] as const) {
      const html = await page(`/app/cases/${caseId}?lang=${lang}`, 'sup-wang');
      // The summary's 位置 / Place row.
      const row = /<dt>(?:位置|Place)<\/dt><dd>([^<]*)<\/dd>/.exec(html)?.[1];
      expect(row).toBe(name);
      // The timeline's opening entry ends with the place, after the kind and the severity.
      const timeline = html.slice(html.indexOf('class="timeline"'));
      expect(timeline).toMatch(
        new RegExp(`<div>[^<]* · ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</div>`),
      );
    }
  });
});
