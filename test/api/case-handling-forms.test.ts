import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSessions } from '../support/page-sessions.ts';
import { directoryOrFail } from '../../api/reads.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The case page's handling forms (hand-over, reassign, arrival, pauses): a refused one comes back
 * on the case page with its field marked and what was typed kept, not as a flash over an empty
 * form; a hand-over that leaves the person unable to read the case lands on their workbench.
 */
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

async function post(path: string, personId: string, fields: [string, string][]) {
  const who = await as(personId);
  return s.app.request(path, {
    method: 'POST',
    headers: {
      'accept-language': 'zh-CN',
      cookie: `rectify_session=${who.id}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams([...fields, ['_csrf', who.csrf]]).toString(),
  });
}

/** The page a redirect leads to, with the flash it left. */
async function follow(res: Response, personId: string) {
  expect(res.status).toBe(303);
  const flash = /rectify_flash=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
  return s.app.request(res.headers.get('location') ?? '', {
    headers: { 'accept-language': 'zh-CN', cookie: `rectify_session=${(await as(personId)).id}; ${flash}` },
  });
}

async function openCase(assigneeId: string): Promise<string> {
  const res = await post('/app/cases/new', 'sup-wang', [
    ['title', `handling ${uniqueId('t')}`],
    ['description', '走廊灯不亮'],
    ['source', 'inspection'],
    ['severity', 'routine'],
    ['category', ''],
    ['buildingId', 'bldg-a'],
    ['floorId', 'a-f1'],
    ['roomId', 'A101'],
    ['assigneeId', assigneeId],
    ['reporterName', ''],
    ['reporterEmail', ''],
  ]);
  expect(res.status).toBe(303);
  return /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
}

/** One handling form's section of the page. */
const section = (html: string, step: string) =>
  new RegExp(`<section[^>]*data-step="${step}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
const fieldError = (html: string, id: string) => new RegExp(`id="${id}-error">([^<]*)<`).exec(html)?.[1];

describe('a refused handling form', () => {
  let caseId = '';
  beforeAll(async () => {
    caseId = await openCase('staff-zhou');
  });

  it('hand-over with no colleague: the case page again, the list marked, the reason kept', async () => {
    const res = await post(`/app/cases/${caseId}/hand-over`, 'staff-zhou', [
      ['assigneeId', ''],
      ['reason', '下周休假'],
    ]);
    expect(res.status).toBe(400);
    const form = section(await res.text(), 'hand_over');
    expect(form).toMatch(/<select name="assigneeId" required=""[^>]*aria-invalid="true"/);
    expect(fieldError(form, 'hand_over-assigneeId')).toBe('接手人：请从列表中选择一位同事');
    expect(form).toContain('value="下周休假"');
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.assigneeId).toBe('staff-zhou');
  });

  it('hand-over with a reason too long: the reason marked, the text and the colleague kept', async () => {
    const reason = '因'.repeat(501);
    const res = await post(`/app/cases/${caseId}/hand-over`, 'staff-zhou', [
      ['assigneeId', 'staff-zhao'],
      ['reason', reason],
    ]);
    expect(res.status).toBe(400);
    const form = section(await res.text(), 'hand_over');
    expect(fieldError(form, 'hand_over-reason')).toBe('原因：最多 500 个字符（现有 501 个），请删减');
    expect(form).toMatch(/<input id="hand_over-reason"[^>]*aria-invalid="true"/);
    expect(form).toContain(`value="${reason}"`);
    expect(form).toMatch(/<option value="staff-zhao" selected="">/);
    expect(form).not.toMatch(/<option value="" selected="">/);
    // Colleagues by name and trade; the directory's id is the option's value, never its text.
    expect(form).toContain('<option value="staff-zhao" selected="">赵伟（管理）</option>');
    expect(form).not.toMatch(/<option value="staff-[a-z]+"[^>]*>[^<]*staff-/);
  });

  it('reassign and a pause request come back the same way', async () => {
    const reassign = await post(`/app/cases/${caseId}/reassign`, 'sup-wang', [
      ['assigneeId', ''],
      ['reason', '人手调整'],
    ]);
    expect(reassign.status).toBe(400);
    const rForm = section(await reassign.text(), 'reassign');
    expect(fieldError(rForm, 'reassign-assigneeId')).toBe('接手人：请从列表中选择一位同事');
    expect(rForm).toContain('value="人手调整"');

    const pause = await post(`/app/cases/${caseId}/pause`, 'staff-zhou', [
      ['reason', 'waiting_for_parts'],
      ['note', '配'.repeat(501)],
    ]);
    expect(pause.status).toBe(400);
    const pForm = section(await pause.text(), 'request_pause');
    expect(fieldError(pForm, 'request_pause-note')).toBe('说明：最多 500 个字符（现有 501 个），请删减');
    expect(pForm).toMatch(/<option value="waiting_for_parts" selected="">/);
  });

  it('a field sent twice is refused beside it, not as a flash over an empty form', async () => {
    const res = await post(`/app/cases/${caseId}/hand-over`, 'staff-zhou', [
      ['assigneeId', 'staff-zhao'],
      ['assigneeId', 'staff-lee'],
      ['reason', '休假'],
    ]);
    expect(res.status).toBe(400);
    const form = section(await res.text(), 'hand_over');
    expect(form).toContain('表单字段重复（assigneeId）');
    expect(form).toContain('value="休假"');
  });
});

describe('a hand-over taken', () => {
  it('by the assignee, who can no longer read the case, lands on the workbench with the flash', async () => {
    const caseId = await openCase('staff-zhou');
    const res = await post(`/app/cases/${caseId}/hand-over`, 'staff-zhou', [
      ['assigneeId', 'staff-zhao'],
      ['reason', '下周休假'],
    ]);
    expect(res.headers.get('location')).toBe('/app');
    const page = await follow(res, 'staff-zhou');
    expect(page.status).toBe(200);
    const html = await page.text();
    const name = (await directoryOrFail(s.deps)).people.find((p) => p.id === 'staff-zhao')?.name ?? '';
    expect(/class="flash ok"[^>]*>([^<]*)</.exec(html)?.[1]).toBe(`已转交给 ${name}`);
    expect(html).not.toContain('flash error');
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.assigneeId).toBe('staff-zhao');
  });

  it('by a supervisor, who still reads the case, goes back to it', async () => {
    const caseId = await openCase('staff-zhou');
    const res = await post(`/app/cases/${caseId}/reassign`, 'sup-wang', [
      ['assigneeId', 'staff-zhao'],
      ['reason', '人手调整'],
    ]);
    expect(res.headers.get('location')).toBe(`/app/cases/${caseId}`);
    const page = await follow(res, 'sup-wang');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/class="flash ok"[^>]*>已改派给 /);
  });
});

describe('a pause decision taken', () => {
  it('says which way it went: approved, or rejected', async () => {
    const decided = async (approve: 'true' | 'false') => {
      const caseId = await openCase('staff-zhou');
      const asked = await post(`/app/cases/${caseId}/pause`, 'staff-zhou', [
        ['reason', 'waiting_for_parts'],
        ['note', '阀芯缺货'],
      ]);
      expect(asked.status).toBe(303);
      const res = await post(`/app/cases/${caseId}/pause/decision`, 'sup-wang', [
        ['approve', approve],
        // A rejection needs its reason; an approval may go without notes.
        ['notes', approve === 'false' ? '先联系外包确定时间' : ''],
      ]);
      const page = await follow(res, 'sup-wang');
      return /class="flash ok"[^>]*>([^<]*)</.exec(await page.text())?.[1];
    };
    expect(await decided('true')).toBe('已批准暂停申请，案件计时暂停');
    expect(await decided('false')).toBe('已驳回暂停申请，案件计时照常');
  });
});
