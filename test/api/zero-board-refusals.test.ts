import { beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../domain/calendar.ts';
import { gridCells } from '../../domain/zero-report.ts';
import { createSession } from '../../store/sessions.ts';
import { saveNight } from '../../store/zero-reports.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { seedDemo, uniqueId } from '../support/stack.ts';

/**
 * The board's refusals as pages a person can act on: an address naming two places, repeating a
 * part or naming no cell says so in words and leads back to the board; someone whose role may not
 * read the board is told at /zero-report who reports and reads it, not sent on to a 403.
 */
const own = appOnOwnTables('zero-board-refusals');
let tonight: string;

beforeAll(async () => {
  const dir = await seedDemo(own.deps);
  tonight = localDate(new Date().toISOString(), own.env.CAMPUS_TZ);
  const at = new Date().toISOString();
  await saveNight(own.deps, {
    night: tonight,
    workflowId: uniqueId('no-run'),
    openedAt: at,
    closeAt: at,
    acceptUntil: at,
    cells: gridCells(dir),
  });
});

async function get(personId: string, path: string) {
  const s = await createSession(own.deps, { personId, via: 'link' });
  const res = await own.app.request(path, {
    headers: { cookie: `rectify_session=${s.id}`, accept: 'text/html' },
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

const summaryOf = (html: string) => /data-error-summary[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';

describe('a board address the board cannot show', () => {
  it('says why in words and links back to the board, in the page’s language', async () => {
    const cases: [string, number, RegExp][] = [
      ['?after=L3%3Aa-f1-c1&cell=L3%3Aa-f1-c2', 400, /同时指向了几处位置/],
      ['?after=L3%3Aa-f1-c1&after=L3%3Aa-f1-c2', 400, /“after”出现了不止一次/],
      ['?cell=', 400, /不完整或有误/],
      ['?cell=L3%3Anowhere', 404, /没有网格 L3:nowhere/],
    ];
    for (const [query, status, said] of cases) {
      const r = await get('sup-wang', `/zero-report/${tonight}${query}`);
      expect(r.status, query).toBe(status);
      expect(r.html, query).toMatch(/^<!DOCTYPE html>/i);
      const summary = summaryOf(r.html);
      expect(summary, query).toMatch(said);
      expect(summary, query).not.toMatch(/见 errors|after、before 与 cell|after after/);
      expect(r.html, query).toContain(`<a href="/zero-report/${tonight}" data-back="board">`);
      expect(r.html, query).not.toContain('返回工作台');
    }
    const en = await get(
      'sup-wang',
      `/zero-report/${tonight}?after=L3%3Aa-f1-c1&before=L3%3Aa-f1-c2&lang=en`,
    );
    expect(summaryOf(en.html)).toMatch(/^This board link points to more than one place at once/);
    expect(en.html).toContain(`<a href="/zero-report/${tonight}?lang=en" data-back="board">`);
  });
});

describe('someone whose role may not read the board', () => {
  it('is told at /zero-report who reports and who reads it, not sent on to a refusal', async () => {
    const r = await get('staff-zhao', '/zero-report');
    expect(r.status).toBe(403);
    expect(r.location).toBeNull();
    const summary = summaryOf(r.html);
    expect(summary).toContain('零报告由网格员每晚上报');
    expect(summary).toContain('看板供网格员、主管');
    expect(r.html).toContain('返回工作台');
    const night = await get('staff-zhao', `/zero-report/${tonight}`);
    expect(night.status).toBe(403);
    expect(summaryOf(night.html)).toContain('零报告由网格员每晚上报');
    // A reader is still sent to tonight's board.
    expect((await get('sup-wang', '/zero-report')).location).toBe(`/zero-report/${tonight}`);
  });
});
