import { describe, expect, it } from 'vitest';
import { reporterActorId } from '../../domain/case-model.ts';
import { placeCode } from '../../domain/places.ts';
import { readChain } from '../../store/audit-chain.ts';
import { issueActionUrl } from '../../store/links.ts';
import { getReport } from '../../store/reports.ts';
import {
  arrivedUpdate,
  caseViewQuery,
  reportRectificationUpdate,
  requestPauseUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { pageSessions } from '../support/page-sessions.ts';
import {
  actionPath,
  call,
  formFields,
  newCaseBody,
  outcomeOf,
  postForm,
  useApiStack,
  waitForEmail,
} from './harness.ts';
import { createdCaseSchema } from '../../api/schemas.ts';

/**
 * Who holds an email link and who is signed in on the browser that opens it: a link signs as its
 * recipient whoever opens it, so a page opened signed in as someone else says so at the top, and
 * the signature keeps who was signed in. Also what a link's page says after the act: a low rating
 * that reopened the case, a used arrival link, a link whose claims cannot be trusted.
 */
const s = useApiStack();
const as = pageSessions(() => s.deps.aws);
const cookie = async (personId: string) => `rectify_session=${(await as(personId)).id}`;

const sup = { id: 'sup-li', roles: ['supervisor' as const], via: 'api' as const };
const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };

/** A repair case assigned to staff-zhou and the arrival link from his assignment mail. */
async function arrivalLink(): Promise<{ caseId: string; path: string }> {
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  const { caseId } = createdCaseSchema.parse(await res.json());
  const mail = await waitForEmail((e) => e.subject.includes(caseId) && e.text.includes('/actions/'));
  return { caseId, path: actionPath(mail) };
}

/** The audit entry of an action once the workflow has recorded it. */
async function entryOf(caseId: string, action: string) {
  for (let i = 0; i < 60; i++) {
    const found = (await readChain(s.deps.aws.ddb, s.deps.aws.tables, caseId)).find(
      (e) => e.action === action,
    );
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no ${action} entry`);
}

describe('a link opened signed in as someone else', () => {
  it('says whose link it is and whom it signs as, keeps the signed-in person with the signature; once used, links the case page', async () => {
    const { caseId, path } = await arrivalLink();
    const asZhao = await s.app.request(path, { headers: { cookie: await cookie('staff-zhao') } });
    expect(asZhao.status).toBe(200);
    const html = await asZhao.text();
    expect(html).toContain('data-notice');
    expect(html).toContain('您当前登录为 赵伟；此链接是发给 周强 的，提交将以 周强 的名义签署。');
    expect(html).toContain(
      'You are signed in as 赵伟; this link was sent to 周强, and submitting signs as 周强.',
    );
    // Said before the case: right after the title.
    expect(html.indexOf('data-notice')).toBeLessThan(html.indexOf('<table'));

    // The recipient themselves, or nobody signed in: nothing to say.
    for (const headers of [{ cookie: await cookie('staff-zhou') }, {}] as Record<string, string>[]) {
      const page = await s.app.request(path, { headers });
      expect(await page.text()).not.toContain('data-notice');
    }

    const done = await postForm(s.app, path, formFields(html), { cookie: await cookie('staff-zhao') });
    expect(done.status).toBe(200);
    const arrived = await entryOf(caseId, 'arrived');
    expect(arrived.actor.id).toBe('staff-zhou');
    expect(JSON.stringify(arrived.payload)).toContain('"sessionPersonId":"staff-zhao"');

    // Used: the case page is offered, as on the pages of a step no longer needed.
    const again = await s.app.request(path);
    expect(again.status).toBe(410);
    const used = await again.text();
    expect(outcomeOf(used)).toBe('used');
    expect(used).toContain(`href="/app/cases/${caseId}"`);
  });

  it('an arrival recorded on the case page before the link was opened: the link page offers the case page', async () => {
    const { caseId, path } = await arrivalLink();
    await s.deps.temporal.workflow
      .getHandle(caseId)
      .executeUpdate(arrivedUpdate, { args: [{ actor: zhou }] });
    const res = await s.app.request(path);
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('已登记到场');
    expect(html).toContain(`href="/app/cases/${caseId}"`);
  });

  it('a signature by the recipient themselves keeps no other person', async () => {
    const { caseId, path } = await arrivalLink();
    const page = await s.app.request(path, { headers: { cookie: await cookie('staff-zhou') } });
    const done = await postForm(s.app, path, formFields(await page.text()), {
      cookie: await cookie('staff-zhou'),
    });
    expect(done.status).toBe(200);
    expect(JSON.stringify((await entryOf(caseId, 'arrived')).payload)).not.toContain('sessionPersonId');
  });
});

async function reportAtFollowUp() {
  const form = new FormData();
  form.append('kind', 'repair');
  form.append('description', '卫生间还在漏水');
  form.append('contact', 'rater.bearer@students.demo.edu.cn');
  const sent = await s.app.request(
    `/r/${placeCode({ buildingId: 'bldg-b', floorId: 'b-f2', roomId: 'B208' })}`,
    { method: 'POST', body: form, headers: { 'x-forwarded-for': '198.51.100.209' } },
  );
  const token = /^\/t\/([A-Za-z0-9_-]{32})/.exec(sent.headers.get('location') ?? '')![1]!;
  const reportId = /RP-[0-9A-Z]{10}/.exec(await (await s.app.request(`/t/${token}`)).text())![0];
  const triaged = await s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    headers: { cookie: await cookie('sup-li'), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      action: 'case',
      assigneeId: 'staff-zhou',
      severity: 'routine',
      _csrf: (await as('sup-li')).csrf,
    }),
  });
  expect(triaged.status).toBe(303);
  const caseId = (await getReport(s.deps.aws, reportId))!.caseId!;
  const h = s.deps.temporal.workflow.getHandle(caseId);
  await h.executeUpdate(submitRootCauseUpdate, {
    args: [{ actor: sup, causes: ['密封圈老化'], responsibleId: 'staff-zhou', plan: '更换密封圈' }],
  });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
  await h.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: zhou, summary: '已更换', evidence: ['x.jpg'] }],
  });
  await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: 'ok' }] });
  const reporter = (await h.query(caseViewQuery)).reporter;
  const url = await issueActionUrl(
    { ...s.activityDeps, keys: s.activityDeps.signingKeys },
    { caseId, step: 'follow_up', round: 1, recipientId: reporterActorId(reporter)!, action: 'rate' },
  );
  return { caseId, path: new URL(url).pathname };
}

describe('a reporter’s rating link', () => {
  it('opened by signed-in staff says it signs as the reporter; a low rating says the case went back for re-inspection', async () => {
    const { caseId, path } = await reportAtFollowUp();
    const page = await s.app.request(path, { headers: { cookie: await cookie('staff-zhao') } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-notice');
    expect(html).toMatch(/您当前登录为 赵伟；此链接是发给 .+ 的，提交将以 .+ 的名义签署。/);
    expect(html).toMatch(/You are signed in as 赵伟; this link was sent to .+, and submitting signs as .+\./);

    const done = await postForm(s.app, path, {
      ...formFields(html),
      attitude: '1',
      quality: '1',
      cleanup: '1',
    });
    expect(done.status).toBe(200);
    const said = await done.text();
    expect(said).toContain(`案件 ${caseId} 已退回主管重新复查`);
    expect(said).toContain('gone back to the supervisors for re-inspection');
    expect(said).toContain('we will email you');
    expect(said).not.toContain('感谢您的评价！');
  });
});

describe('a link whose claims cannot be trusted', () => {
  it('is said in the browser’s language first', async () => {
    const { path } = await arrivalLink();
    const [v, kid, payload, sig] = path.slice('/actions/'.length).split('.') as [
      string,
      string,
      string,
      string,
    ];
    const forged = `/actions/${v}.${kid}.${payload}.${sig.slice(0, -2)}AA`;
    const en = await s.app.request(forged, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.status).toBe(400);
    const html = await en.text();
    expect(html).toContain('<html lang="en">');
    expect(html.indexOf('This link is not genuine')).toBeLessThan(html.indexOf('链接无效'));
    const zh = await s.app.request(forged, { headers: { 'accept-language': 'zh-CN' } });
    expect(await zh.text()).toContain('<html lang="zh-CN">');
  });
});

/** A mail's Chinese half and its English half, whichever its reader reads first. */
const halves = (text: string): [string, string] => {
  const [a = '', b = ''] = text.split('———');
  // An English reader's mail opens with their greeting ("Dear …") and its English half.
  return a.startsWith('Dear ') ? [b, a] : [a, b];
};

describe('the mails of a dispute and a pause request', () => {
  it('name who disputed and who asked, each half with its own language’s reason label', async () => {
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    const { caseId } = createdCaseSchema.parse(await res.json());
    const h = s.deps.temporal.workflow.getHandle(caseId);
    await h.executeUpdate(requestPauseUpdate, {
      args: [{ actor: zhou, reason: 'waiting_for_parts', note: '阀芯缺货' }],
    });
    const pause = await waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes('暂停申请'));
    const [pzh, pen] = halves(pause.text);
    expect(pzh).toContain('的被指派人周强申请暂停计时');
    expect(pzh).toContain('：等待配件：阀芯缺货。');
    expect(pzh).not.toContain('Waiting for parts');
    expect(pen).toContain('周强, the assignee of');
    expect(pen).toContain(': Waiting for parts: 阀芯缺货.');
    expect(pen).not.toContain('等待配件');

    // Building A's supervisor (the case is in A101).
    const wang = { ...sup, id: 'sup-wang' };
    await h.executeUpdate(submitRootCauseUpdate, {
      args: [{ actor: wang, causes: ['阀芯老化'], responsibleId: 'staff-zhou', plan: '更换阀芯' }],
    });
    await h.executeUpdate(signOffUpdate, {
      args: [{ actor: zhou, decision: 'dispute', reason: '阀芯是新的' }],
    });
    const dispute = await waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes('待裁定'));
    const [dzh, den] = halves(dispute.text);
    expect(dzh).toContain('责任人周强对案件');
    expect(den).toContain('周强, the responsible staff member, disputed');
  });
});
