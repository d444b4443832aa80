import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createdCaseSchema, problemSchema } from '../../api/schemas.ts';
import { FIXTURE_CALENDAR_2099 } from '../support/calendar-fixture.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';

import type { CaseInput } from '../../domain/case-model.ts';
import { createCalendar, localDate, officialDays } from '../../domain/calendar.ts';
import { saveCalendarVersion } from '../../store/calendar-versions.ts';

const calendarYearSchema = z.strictObject({
  year: z.number().int(),
  source: z.enum(['official', 'configured', 'missing']),
  holidays: z.array(z.iso.date()),
  workdays: z.array(z.iso.date()),
  terms: z.array(z.strictObject({ name: z.string(), from: z.iso.date(), to: z.iso.date() })),
  closures: z.array(z.strictObject({ name: z.string(), from: z.iso.date(), to: z.iso.date() })),
});

let s: ApiStack;
beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'rectify-cal-api-'));
  const file = path.join(dir, 'calendar.txt');
  await writeFile(file, FIXTURE_CALENDAR_2099);
  s = await startApiStack({}, { CALENDAR_FILE: file });
});
afterAll(async () => {
  await s?.stop();
});

const get = async (year: string) => call(s.app, 'GET', `/api/calendar/${year}`, { as: 'staff-zhou' });

describe('GET /api/calendar/{year}', () => {
  it('answers a bundled year as official, with National Day and its make-up Saturday', async () => {
    const res = await get('2026');
    expect(res.status).toBe(200);
    const y = calendarYearSchema.parse(await res.json());
    expect(y.source).toBe('official');
    expect(y.holidays).toContain('2026-10-01');
    expect(y.workdays).toContain('2026-10-10');
  });

  it('answers a year entered in the calendar file as configured (fixture 2099)', async () => {
    const y = calendarYearSchema.parse(await (await get('2099')).json());
    expect(y).toMatchObject({ year: 2099, source: 'configured', workdays: ['2099-02-08', '2099-02-28'] });
    expect(y.holidays).toContain('2099-02-17');
    expect(y.terms).toEqual([
      { name: '2098-2099学年第二学期（测试夹具）', from: '2099-03-02', to: '2099-07-03' },
    ]);
  });

  it('flags a year with no official data as missing', async () => {
    const y = calendarYearSchema.parse(await (await get('2098')).json());
    expect(y).toEqual({ year: 2098, source: 'missing', holidays: [], workdays: [], terms: [], closures: [] });
  });

  it.each(['1999', '2101', '27', 'abcd', '20260'])('refuses year %s with 400 problem+json', async (year) => {
    const res = await get(year);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const p = problemSchema.parse(await res.json());
    expect(p.errors?.[0]?.field).toBe('year');
  });

  it('says what is wrong with the year in the caller’s language only', async () => {
    const refused = async (year: string, lang: string) => {
      const res = await call(s.app, 'GET', `/api/calendar/${year}?lang=${lang}`, { as: 'staff-zhou' });
      expect(res.status).toBe(400);
      return problemSchema.parse(await res.json()).errors?.[0]?.message;
    };
    expect(await refused('1999', 'zh-CN')).toBe('年份不能早于 2000');
    expect(await refused('1999', 'en')).toBe('year must be 2000 or later');
    expect(await refused('2101', 'zh-CN')).toBe('年份不能晚于 2100');
    expect(await refused('abc', 'zh-CN')).toBe('年份须为四位数字，2000 到 2100 之间，如 2027');
    expect(await refused('abc', 'en')).toBe('year must be four digits, 2000 to 2100, like 2027');
  });

  it('needs a signed-in caller', async () => {
    const res = await call(s.app, 'GET', '/api/calendar/2026');
    expect(res.status).toBe(401);
  });
});

describe('POST /api/cases pins the calendar in force', () => {
  it('starts the case as rectificationCaseV2 with the calendar file’s changes in its input', async () => {
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    expect(res.status).toBe(201);
    const { caseId } = createdCaseSchema.parse(await res.json());
    const { events } = await s.deps.temporal.workflow.getHandle(caseId).fetchHistory();
    const started = events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(started?.workflowType?.name).toBe('rectificationCaseV2');
    const payload = started?.input?.payloads?.[0]?.data;
    const input = JSON.parse(Buffer.from(payload ?? []).toString('utf8')) as CaseInput;
    // The fixture's 2099: declared, its Spring Festival closed, its make-up Saturdays worked.
    const { official, overrides } = input.calendar ?? { official: undefined, overrides: undefined };
    expect(overrides?.years).toEqual([2099]);
    expect(overrides?.holidays).toContain('2099-02-17');
    expect(overrides?.workdays).toEqual(['2099-02-08', '2099-02-28']);
    // With the official days of this year and the next, as the bundled data has them now.
    const year = Number(localDate(new Date().toISOString(), 'Asia/Shanghai').slice(0, 4));
    expect(official?.years).toEqual([year, year + 1].filter((y) => officialDays(y).holidays.length > 0));
    expect(official?.holidays).toEqual(official?.years.flatMap((y) => officialDays(y).holidays));
  });
});

// Last in the file: it saves a calendar version, which is in force for every request after it.
describe('GET /api/calendar/{year} inside a closure', () => {
  it('answers as deadlines count: make-up Saturdays inside a closure are days off, the closure named', async () => {
    await saveCalendarVersion(s.deps.aws, {
      text: `${FIXTURE_CALENDAR_2099}closure 2026-02-10..2026-03-01 寒假（示例）\n`,
      savedBy: 'admin-xu',
      savedAt: new Date().toISOString(),
    });
    const y = calendarYearSchema.parse(await (await get('2026')).json());
    // 14 and 28 February 2026 are official make-up Saturdays; the closure beats them, as isWorkingDay does.
    expect(y.workdays).not.toContain('2026-02-14');
    expect(y.workdays).not.toContain('2026-02-28');
    expect(y.workdays).toContain('2026-10-10');
    expect(y.holidays).toEqual(
      expect.arrayContaining(['2026-02-10', '2026-02-14', '2026-02-28', '2026-03-01']),
    );
    expect(y.closures).toEqual([{ name: '寒假（示例）', from: '2026-02-10', to: '2026-03-01' }]);
    expect(
      createCalendar({ closures: [{ from: '2026-02-10', to: '2026-03-01' }] }).isWorkingDay('2026-02-14'),
    ).toBe(false);
    // A year the closure does not touch lists none.
    expect(calendarYearSchema.parse(await (await get('2099')).json()).closures).toEqual([]);
  });
});
