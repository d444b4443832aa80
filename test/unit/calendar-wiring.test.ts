import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities/index.ts';
import { calendarYear, overridesFrom, parseCalendarFile } from '../../domain/calendar-file.ts';
import { computeDeadline, createCalendar } from '../../domain/calendar.ts';
import {
  calendarFilePath,
  calendarOverridesFromEnv,
  LOCAL_CALENDAR_FILE,
  readCalendarFile,
} from '../../infra/calendar.ts';
import { ConfigError, parseEnv } from '../../infra/config.ts';
import { FIXTURE_CALENDAR_2099 as FIXTURE_2099 } from '../support/calendar-fixture.ts';

const parsed = parseCalendarFile(FIXTURE_2099);
if (!parsed.ok) throw new Error(`fixture does not parse: ${JSON.stringify(parsed.errors)}`);
const fixture = parsed.file;

const fifteenWorkingDays = { unit: 'working_days', amount: 15 } as const;
const start = '2099-02-02T10:00:00+08:00'; // a Monday

describe('deadlines across a Spring Festival from the calendar file (fixture year 2099)', () => {
  it('skips the festival week and counts its make-up Sunday, and is exact', () => {
    const d = computeDeadline({
      start,
      duration: fifteenWorkingDays,
      tz: 'Asia/Shanghai',
      calendar: createCalendar(overridesFrom(fixture)),
    });
    // 3-6 Feb (4), Sunday 8 Feb made up (5), 9-13 (10), festival 14-22, 23-27 (15).
    expect(d).toEqual({ due: '2099-02-27T10:00:00.000Z', approximate: false });
  });

  it('without the file the same year counts weekends only and says it is approximate', () => {
    const d = computeDeadline({
      start,
      duration: fifteenWorkingDays,
      tz: 'Asia/Shanghai',
      calendar: createCalendar(),
    });
    expect(d).toEqual({ due: '2099-02-23T10:00:00.000Z', approximate: true });
  });

  it('the planDeadline activity uses the overrides it is given and reports their version', async () => {
    const base = { timeZone: 'Asia/Shanghai' } as const;
    // planDeadline touches no store, so the AWS clients are never used here.
    const deps = (calendarOverrides: ActivityDeps['calendarOverrides']) =>
      ({ ...base, calendarOverrides }) as unknown as ActivityDeps;
    const input = { start, duration: fifteenWorkingDays, timeZone: 'Asia/Shanghai', fractions: [0.5] };
    const withFile = await createActivities(deps(overridesFrom(fixture))).planDeadline(input);
    const without = await createActivities(deps(undefined)).planDeadline(input);
    expect(withFile).toMatchObject({ due: '2099-02-27T10:00:00.000Z', approximate: false });
    expect(without).toMatchObject({ due: '2099-02-23T10:00:00.000Z', approximate: true });
    expect(withFile.calendarVersion).not.toBe(without.calendarVersion);
  });
});

describe('calendarYear', () => {
  it('flags a year with no official data as missing, a declared one as configured', () => {
    expect(calendarYear(2098, fixture)).toMatchObject({
      year: 2098,
      source: 'missing',
      holidays: [],
      workdays: [],
    });
    const y = calendarYear(2099, fixture);
    expect(y.source).toBe('configured');
    expect(y.holidays).toHaveLength(9);
    expect(y.workdays).toEqual(['2099-02-08', '2099-02-28']);
    expect(calendarYear(2026, fixture).source).toBe('official');
  });
});

describe('CALENDAR_FILE', () => {
  it('defaults to the demo calendar locally and to none in production', () => {
    expect(calendarFilePath(parseEnv({}))).toBe(LOCAL_CALENDAR_FILE);
    expect(calendarFilePath({ RECTIFY_MODE: 'production', CALENDAR_FILE: undefined })).toBeUndefined();
    expect(calendarFilePath({ RECTIFY_MODE: 'production', CALENDAR_FILE: '/etc/rectify/cal.txt' })).toBe(
      '/etc/rectify/cal.txt',
    );
  });

  it('the demo calendar file is valid', async () => {
    await expect(readCalendarFile(LOCAL_CALENDAR_FILE)).resolves.toMatchObject({ official: [] });
  });

  it('a bad file stops start-up with a ConfigError naming the line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rectify-cal-'));
    const file = path.join(dir, 'calendar.txt');
    await writeFile(file, `${FIXTURE_2099}holiday 2099-02-30 不存在的日子\n`);
    const err: unknown = await calendarOverridesFromEnv({
      RECTIFY_MODE: 'production',
      CALENDAR_FILE: file,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/CALENDAR_FILE .*\n.*line 7: /);
  });

  it('a missing file is a ConfigError too', async () => {
    await expect(
      calendarOverridesFromEnv({ RECTIFY_MODE: 'local', CALENDAR_FILE: '/nonexistent/calendar.txt' }),
    ).rejects.toThrow(/CALENDAR_FILE: cannot read/);
  });
});
