import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarVersion } from '../../store/calendar-versions.ts';
import { createSession } from '../../store/sessions.ts';
import { testView } from '../support/audit-fixtures.ts';
import { putCases } from '../support/feedback-harness.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { seedDemo } from '../support/stack.ts';

/**
 * Found by a probe: a snow day saved on the calendar left a running case's deadline on that day,
 * unsaid (the case counts with the calendar it opened with). The case page says so beside a
 * pending deadline that falls on a closure of the calendar in force, and what can be done.
 * Own tables: the saved calendar version is this file's.
 */
const own = appOnOwnTables('closure-note');
const caseId = `ZG-2099-${String(Math.floor(Math.random() * 900000) + 100000)}`;

beforeAll(async () => {
  await seedDemo(own.deps);
  const text = await readFile('infra/local/calendar.txt', 'utf8');
  await saveCalendarVersion(own.deps, {
    text: `${text.trimEnd()}\nclosure 2027-03-10 雪灾停课 / snow day\n`,
    savedBy: 'admin-xu',
    savedAt: new Date().toISOString(),
  });
  const view = testView(caseId, { version: 3 });
  await putCases(own.deps, [
    {
      ...view,
      stage: 'rectifying',
      deadlines: [
        {
          stage: 'analysing',
          round: 1,
          startedAt: '2027-03-08T01:00:00.000Z',
          due: '2027-03-09T10:00:00.000Z',
          approximate: false,
          calendarVersion: 'before',
          state: 'met',
          closedAt: '2027-03-09T01:00:00.000Z',
        },
        {
          stage: 'rectifying',
          round: 1,
          startedAt: '2027-03-09T01:00:00.000Z',
          // 18:00 on 10 March in Shanghai: the snow day.
          due: '2027-03-10T10:00:00.000Z',
          approximate: false,
          calendarVersion: 'before',
          state: 'pending',
        },
      ],
    },
  ]);
});

async function casePage(personId: string, lang: string): Promise<string> {
  const s = await createSession(own.deps, { personId, via: 'link' });
  const res = await own.app.request(`/app/cases/${caseId}?lang=${lang}`, {
    headers: { cookie: `rectify_session=${s.id}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe('a pending deadline on a closure saved since the case opened', () => {
  it('is marked on the case page with the closure and what a supervisor can do, once', async () => {
    const zh = await casePage('sup-wang', 'zh-CN');
    expect(zh.match(/data-closure-note/g)).toHaveLength(1);
    expect(zh).toContain('此时限落在学校停课日（2027-03-10 雪灾停课 / snow day）');
    expect(zh).toContain('请申请或批准暂停');
    const en = await casePage('sup-wang', 'en');
    expect(en).toContain('This deadline falls on a school closure day (2027-03-10');
  });
});
