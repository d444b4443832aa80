import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case-model.ts';
import { saveDirectory } from '../../store/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { putCases } from '../support/feedback-harness.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory } from '../support/stack.ts';
import { view } from '../support/views.ts';

/**
 * Found by a probe of a supervisor's week: a pause request waiting on the supervisor was in no
 * list of the workbench (only the mail told him); a technician removed from the directory was
 * named by a bare id on the workbench, the case list, its export and the directory page; the
 * English case page said "1 failed reviews"; and /app/cases?limit=abc read as "No cases match."
 * Own tables: these are the only cases.
 */
const own = appOnOwnTables('sup-week');
const now = Date.now();
const iso = (hours: number) => new Date(now + hours * 3_600_000).toISOString();
const id = (n: number) => `ZG-2026-${String(900100 + n)}`;

/** An open case at A101, due in a day. */
function openCase(n: number, over: Partial<Omit<CaseView, 'deadlines'>>): CaseView {
  const v = view({
    caseId: id(n),
    openedAt: iso(-48 + n),
    stage: 'rectifying',
    deadlines: [['rectifying', 'pending']],
    ...over,
  });
  return { ...v, deadlines: v.deadlines.map((d) => ({ ...d, due: iso(24 + n) })) };
}

// Waiting on the assignee's repair, with a pause asked for: the supervisor decides the pause.
const PAUSED = openCase(1, {
  title: '报修：配件未到',
  pauses: [
    {
      n: 1,
      reason: 'waiting_for_parts',
      note: '等灯管',
      requestedBy: 'staff-zhou',
      requestedAt: iso(-1),
      state: 'requested',
    },
  ],
});
// The same, its pause already approved: nothing waits on the supervisor.
const APPROVED = openCase(2, {
  pauses: [
    {
      n: 1,
      reason: 'waiting_for_parts',
      note: '',
      requestedBy: 'staff-zhou',
      requestedAt: iso(-3),
      state: 'approved',
      decidedBy: 'sup-wang',
      decidedAt: iso(-2),
      endsBy: iso(100),
    },
  ],
});
// Assigned to a technician since removed from the directory, in its second round, overdue.
const LEFT = openCase(3, {
  assigneeId: 'staff-tang',
  responsibleId: 'staff-tang',
  round: 2,
  failedReviews: 1,
  overdue: true,
});

beforeAll(async () => {
  const demo = await demoDirectory();
  const tang = {
    id: 'staff-tang',
    name: '唐刚',
    email: 'tang.gang@demo.edu.cn',
    roles: ['staff' as const],
    language: 'zh-CN' as const,
    staffKind: 'repair' as const,
  };
  await saveDirectory(own.deps.ddb, own.deps.tables, { ...demo, people: [...demo.people, tang] });
  await saveDirectory(own.deps.ddb, own.deps.tables, demo);
  await putCases(own.deps, [PAUSED, APPROVED, LEFT]);
});

async function get(path: string, personId: string, lang = 'zh-CN') {
  const s = await createSession(own.deps, { personId, via: 'link' });
  return own.app.request(path, { headers: { cookie: `rectify_session=${s.id}`, 'accept-language': lang } });
}

const waitingSection = (html: string) =>
  /<section[^>]*data-section="waiting"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
const rowOf = (html: string, caseId: string) =>
  new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*${caseId}[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';

describe('a pause request on the supervisor’s workbench', () => {
  it('is in 等我处理 for a supervisor of its building, linked to the decision form', async () => {
    const res = await get('/app', 'sup-wang');
    expect(res.status).toBe(200);
    const waiting = waitingSection(await res.text());
    expect(waiting).toContain('data-count="1"');
    const row = rowOf(waiting, PAUSED.caseId);
    expect(row).toContain(
      `<a href="/app/cases/${PAUSED.caseId}#decide_pause-title" data-wait="">待决定暂停申请</a>`,
    );
    // An approved pause waits on nobody; the repair waits on the technician.
    expect(waiting).not.toContain(APPROVED.caseId);
    expect(waiting).not.toContain(LEFT.caseId);

    const en = waitingSection(await (await get('/app', 'sup-smith', 'en')).text());
    expect(rowOf(en, PAUSED.caseId)).toContain('>Pause request to decide</a>');

    // The link leads to the form the case page offers him.
    const page = await (await get(`/app/cases/${PAUSED.caseId}`, 'sup-wang')).text();
    expect(page).toContain('id="decide_pause-title"');
  });

  it('is not in the list of a supervisor of another building, nor of the technician', async () => {
    for (const who of ['sup-li', 'staff-zhou']) {
      const waiting = waitingSection(await (await get('/app', who)).text());
      expect(waiting, who).not.toContain('待决定暂停申请');
    }
    // The technician's own repair still waits for him, without the supervisor's label.
    const zhou = waitingSection(await (await get('/app', 'staff-zhou')).text());
    expect(zhou).toContain(PAUSED.caseId);
  });
});

describe('a person removed from the directory', () => {
  const left = '唐刚（已离开名录）';
  it('is named as they were, marked as gone, on the workbench and the case list', async () => {
    const bench = await (await get('/app', 'sup-wang')).text();
    const overdue = /<section[^>]*data-section="overdue-buildings"[\s\S]*?<\/section>/.exec(bench)?.[0] ?? '';
    expect(rowOf(overdue, LEFT.caseId)).toContain(`>${left}</td>`);
    expect(bench).not.toMatch(/>staff-tang</);

    const list = await (await get('/app/cases', 'sup-wang')).text();
    expect(rowOf(list, LEFT.caseId)).toContain(`>${left}</td>`);
    const en = await (await get('/app/cases?lang=en', 'sup-wang', 'en')).text();
    expect(rowOf(en, LEFT.caseId)).toContain('>唐刚 (no longer in the directory)</td>');
    // Those in the directory by their names as before.
    expect(rowOf(list, PAUSED.caseId)).toContain('>周强</td>');
  });

  it('is named so in the list’s export', async () => {
    const res = await get('/app/cases/export.csv', 'sup-wang');
    expect(res.status).toBe(200);
    const line = (await res.text()).split('\r\n').find((l) => l.startsWith(`"${LEFT.caseId}"`)) ?? '';
    expect(line).toContain(`"${left}"`);
    expect(line).not.toContain('"staff-tang"');
  });

  it('is named so on the directory page’s open cases to reassign, the id beside', async () => {
    const res = await get('/app/admin/directory', 'admin-xu');
    expect(res.status).toBe(200);
    const item = /<li data-person="staff-tang"[\s\S]*?<\/li>/.exec(await res.text())?.[0] ?? '';
    expect(item).toContain(LEFT.caseId);
    expect(item).toMatch(
      new RegExp(`^<li data-person="staff-tang">${left}<span class="muted"> staff-tang</span>`),
    );
  });
});

describe('the English case page', () => {
  it('says "1 failed review", not "1 failed reviews"', async () => {
    const html = await (await get(`/app/cases/${LEFT.caseId}?lang=en`, 'wg-chen', 'en')).text();
    expect(html).toContain('2 (1 failed review)');
    expect(html).not.toContain('failed reviews');
  });
});

describe('a list parameter the cases page cannot take', () => {
  it('is refused naming it, with the list without it, never shown as no cases', async () => {
    const res = await get('/app/cases?limit=abc&severity=routine', 'sup-wang');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<title>错误：/);
    expect(html).toMatch(/<li data-field="limit">每页条数（1–100）：/);
    expect(html).not.toContain('没有符合条件的案件');
    const note = /<p[^>]*data-refused-list[\s\S]*?<\/p>/.exec(html)?.[0] ?? '';
    expect(note).toContain('每页条数（1–100）（参数 limit）无效');
    expect(note).toContain('href="/app/cases?severity=routine"');

    const en = await (await get('/app/cases?cursor=garbage&back=x&lang=en', 'sup-wang', 'en')).text();
    expect(en).not.toContain('No cases match.');
    const enNote = /<p[^>]*data-refused-list[\s\S]*?<\/p>/.exec(en)?.[0] ?? '';
    expect(enNote).toContain('Page position (parameter cursor)');
    // The position goes with the trail back to it.
    expect(enNote).toContain('href="/app/cases?lang=en"');

    // A filter with a control is refused the same way, its value dropped from the link.
    const stage = await (await get('/app/cases?stage=bogus', 'sup-wang')).text();
    expect(/<p[^>]*data-refused-list[\s\S]*?<\/p>/.exec(stage)?.[0]).toContain('href="/app/cases"');
  });

  it('a list that reads nothing still says so', async () => {
    const html = await (await get('/app/cases?severity=major', 'sup-wang')).text();
    expect(html).toContain('没有符合条件的案件');
    expect(html).not.toContain('data-refused-list');
  });
});
