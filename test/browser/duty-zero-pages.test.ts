import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.ts';
import { dutyById, newOccurrence, windowsOn, type DutyOccurrence } from '../../domain/duties.ts';
import { gridCells } from '../../domain/zero-report.ts';
import { saveOccurrence } from '../../store/duties.ts';
import { saveNight, saveReport } from '../../store/zero-reports.ts';
import { demoDirectory } from '../support/stack.ts';
import {
  DESKTOP,
  PHONE,
  deviceFor,
  seriousViolations,
  sidewaysOverflow,
  signIn,
  startWebStack,
  type WebStack,
} from './support.ts';

// The duty pages and the zero report's pages, opened from an email or the menu on a phone: inside
// the app's shell (menu, language switch, sign-out), and nothing scrolls the page sideways.
let s: WebStack;
// A day and a night of this file's own, far ahead, so no real run's rows are in them.
const DATE = addDays('2070-01-01', Math.floor(Math.random() * 10_000));
const NIGHT = DATE;
const occurrences: DutyOccurrence[] = [];

beforeAll(async () => {
  s = await startWebStack();
  const dir = await demoDirectory();
  const store = { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables };
  const calendar = { terms: [], holidays: [], isWorkingDay: () => true };
  for (const dutyId of ['standing-posts', 'daily-equipment-check']) {
    const duty = dutyById(dutyId);
    if (!duty) throw new Error(`no duty ${dutyId}`);
    for (const w of windowsOn(duty, DATE, calendar)) {
      const o = newOccurrence(
        duty,
        w,
        { buildingId: 'bldg-a', ownerIds: ['staff-zhou'], supervisorIds: ['sup-wang'] },
        s.deps.env.CAMPUS_TZ,
      );
      occurrences.push(o);
      await saveOccurrence(store, o);
    }
  }
  // One done part with a long unbroken evidence reference, as a phone's file link is.
  const posts = occurrences[0];
  if (posts) {
    posts.completions.push({
      by: 'sup-wang',
      at: `${DATE}T00:30:00.000Z`,
      part: 'morning',
      minutes: 30,
      note: '早高峰立岗，出口秩序正常',
      evidence: [{ kind: 'photo', ref: `evidence:ev_${'x'.repeat(16)}#sha256=${'d2836709'.repeat(8)}` }],
    });
    posts.progress = posts.progress.map((p) => (p.key === 'morning' ? { ...p, done: 1 } : p));
    await saveOccurrence(store, posts);
  }
  const cells = gridCells(dir);
  await saveNight(store, {
    night: NIGHT,
    workflowId: `zero-night-${NIGHT}`,
    openedAt: `${NIGHT}T14:20:00.000Z`,
    closeAt: `${NIGHT}T15:00:00.000Z`,
    acceptUntil: `${NIGHT}T16:00:00.000Z`,
    cells,
  });
  await saveReport(store, {
    night: NIGHT,
    cellId: 'L3:a-f1-c2',
    personId: 'grid-a1c2',
    via: 'page',
    at: `${NIGHT}T14:41:07.000Z`,
    none: false,
    afterClose: false,
    late: [{ room: 'A104', name: '张三', note: '23:10 返回，已登记' }],
    absent: [],
  });
});

afterAll(async () => {
  await s?.stop();
});

async function open(page: Page, path: string): Promise<void> {
  const res = await page.goto(`${s.baseUrl}${path}`);
  expect(res?.status(), `${path} answers`).toBe(200);
}

describe('duty and zero-report pages', () => {
  it('are in the app’s shell and fit a 390 px phone without sideways scrolling', async () => {
    const [posts] = occurrences;
    expect(posts).toBeDefined();
    const pages: { who: string; name: string; path: string }[] = [
      { who: 'sup-wang', name: 'duty list', path: `/duties?from=${DATE}&to=${DATE}` },
      { who: 'sup-wang', name: 'duty board', path: `/duties?buildingId=bldg-a&from=${DATE}&to=${DATE}` },
      { who: 'sup-wang', name: 'duty occurrence', path: `/duties/${posts?.occurrenceId}` },
      { who: 'sup-wang', name: 'duty occurrence (en)', path: `/duties/${posts?.occurrenceId}?lang=en` },
      { who: 'grid-a1c1', name: 'zero report form', path: `/zero-report/${NIGHT}/report` },
      { who: 'grid-a1c2', name: 'zero report form, reported', path: `/zero-report/${NIGHT}/report?lang=en` },
      { who: 'sup-wang', name: 'zero report board', path: `/zero-report/${NIGHT}?lang=zh-CN` },
    ];
    const found: string[] = [];
    for (const viewport of [PHONE, DESKTOP]) {
      for (const who of [...new Set(pages.map((p) => p.who))]) {
        const ctx = await deviceFor(s, viewport);
        const page = await ctx.newPage();
        await signIn(s, page, who);
        for (const p of pages.filter((x) => x.who === who)) {
          await open(page, p.path);
          const where = `${p.name} ${viewport.width}px`;
          // The shell: the way back to the workbench and signing out.
          expect(await page.locator('header.top a.brand').getAttribute('href'), where).toBe('/app');
          expect(await page.locator('form[action="/logout"]').count(), where).toBe(1);
          const over = await sidewaysOverflow(page);
          if (over > 0) found.push(`${where}: ${over}px wider than the window`);
          for (const v of await seriousViolations(page)) found.push(`${where}: ${v}`);
        }
        await ctx.close();
      }
    }
    expect(found).toEqual([]);
  });
});
