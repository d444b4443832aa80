import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../domain/calendar.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { LOCAL_CALENDAR_FILE } from '../../infra/calendar.ts';
import { startCalendarBroadcast } from '../../workflows/calendar-broadcast/start.ts';
import { calendarBroadcastId } from '../../workflows/calendar-broadcast/workflow.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { call, newCaseBody, startApiStackOn, type ApiStack } from './harness.ts';

/**
 * A calendar saved on the admin page reaches the cases already running: the page starts the
 * broadcast, each running case recounts its open stage's deadline, and the page says how far
 * the telling has got. Tables of this file's own, so its calendar reaches no other file's cases.
 */

const tables = ownTables(uniqueId('calb'));
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

beforeAll(async () => {
  s = await startApiStackOn(tables);
});
afterAll(async () => {
  await s?.stop();
});

async function form(path: string, personId: string, fields: Record<string, string>) {
  const who = await as(personId);
  return s.app.request(path, {
    method: 'POST',
    headers: { cookie: `rectify_session=${who.id}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: who.csrf }),
  });
}

async function caseView(caseId: string): Promise<CaseView> {
  return s.deps.temporal.workflow.getHandle(caseId).query<CaseView>('caseView');
}

async function until<T>(read: () => Promise<T>, ok: (t: T) => boolean, what: string): Promise<T> {
  const end = Date.now() + 30_000;
  for (;;) {
    const t = await read();
    if (ok(t)) return t;
    if (Date.now() > end) throw new Error(`${what}: not within 30 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a calendar saved on the admin page', () => {
  it('moves the open stage’s deadline of a running case past the closure it adds, and the page says so', async () => {
    // A staff complaint: analysis is due by the end of a working day (working_days 0).
    const opened = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body: newCaseBody({ source: 'complaint', category: 'staff', title: '宿管态度 Staff manner' }),
    });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    const before = (await caseView(caseId)).deadlines[0];
    if (!before) throw new Error('no deadline');
    expect(before.stage).toBe('analysing');

    // The whole school shut from the day the analysis is due, for a week.
    const dueDay = localDate(before.due, s.deps.env.CAMPUS_TZ);
    const demo = await readFile(LOCAL_CALENDAR_FILE, 'utf8');
    const text = `${demo}\nclosure ${dueDay}..${addDays(dueDay, 6)} 测试停课 / test closure\n`;
    const res = await form('/app/admin/calendar', 'admin-xu', { text, action: 'save', note: '停课' });
    expect(res.status).toBe(303);
    const saved = Number(new URL(res.headers.get('location') ?? '', 'http://x').searchParams.get('saved'));
    expect(saved).toBeGreaterThan(0);

    const after = await until(
      () => caseView(caseId),
      (v) => v.timeline.some((e) => e.action === 'deadline_recounted'),
      'the case recounts its deadline',
    );
    const moved = after.deadlines[0];
    expect(moved?.state).toBe('pending');
    // Due at the end of the first working day after the closure.
    expect(localDate(moved?.due ?? '', s.deps.env.CAMPUS_TZ) > addDays(dueDay, 6)).toBe(true);
    expect(moved?.calendarVersion).not.toBe(before.calendarVersion);

    // The history says from when to when, with the version.
    const history = (await (
      await call(s.app, 'GET', `/api/cases/${caseId}/history`, { as: 'admin-xu' })
    ).json()) as {
      entries?: { action: string; detail?: string }[];
    };
    const entry = JSON.stringify(history);
    expect(entry).toContain('deadline_recounted');
    expect(entry).toContain(before.due);

    // The broadcast is one per version: asking again starts nothing new.
    const handle = s.deps.temporal.workflow.getHandle(
      calendarBroadcastId(s.deps.env.TEMPORAL_TASK_QUEUE, saved),
    );
    expect((await handle.describe()).status.name).toMatch(/RUNNING|COMPLETED/);
    const again = { version: saved, savedAt: new Date().toISOString() };
    expect(await startCalendarBroadcast(s.deps.temporal, s.deps.env.TEMPORAL_TASK_QUEUE, again)).toBe(false);
    const who = await as('admin-xu');
    const html = await (
      await s.app.request('/app/admin/calendar', { headers: { cookie: `rectify_session=${who.id}` } })
    ).text();
    expect(html).toMatch(/data-calendar-broadcast="(running|done)"/);
    expect(html).toContain('进行中的案件');
    await handle.terminate('test over');
    await call(s.app, 'POST', `/api/cases/${caseId}/withdraw`, {
      as: 'sup-wang',
      body: { reason: 'test over' },
    });
  });
});
