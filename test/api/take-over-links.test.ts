import { describe, expect, it } from 'vitest';
import { createdCaseSchema } from '../../api/schemas.ts';
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

// A case taken over by a colleague (reassigned by a supervisor, handed over by the assignee):
// the colleague gets the link of the step now theirs, and the former holder's link says it no
// longer applies.

const s = useApiStack();

const ZHOU = 'zhou.qiang@demo.edu.cn';
const WU = 'wu.lei@demo.edu.cn';

const mailTo = (caseId: string, to: string, subject: string) =>
  waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes(subject) && e.to.includes(to));

async function page(path: string) {
  const res = await s.app.request(path);
  const html = await res.text();
  return { status: res.status, outcome: outcomeOf(html), html };
}

/** A repair case (it has an on-site clock, so its assignment mail carries the arrival link). */
async function repairCase(): Promise<string> {
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  expect(res.status).toBe(201);
  return createdCaseSchema.parse(await res.json()).caseId;
}

async function rootCause(caseId: string, responsibleId: string) {
  const rc = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
    as: 'sup-wang',
    body: { causes: ['阀芯老化'], responsibleId, plan: '更换阀芯' },
  });
  expect(rc.status).toBe(200);
}

const reassign = async (caseId: string, to: string) => {
  const r = await call(s.app, 'POST', `/api/cases/${caseId}/reassign`, {
    as: 'sup-wang',
    body: { assigneeId: to, reason: '周强休假 on leave' },
  });
  expect(r.status).toBe(200);
};

describe('the colleague who takes a case over gets the link of the step now theirs', () => {
  it('reassigned while it waits for sign-off: the new responsible gets the sign-off request and signs with its link', async () => {
    const caseId = await repairCase();
    await rootCause(caseId, 'staff-zhou');
    await mailTo(caseId, ZHOU, '待签字');
    await reassign(caseId, 'staff-wu');

    const mail = await mailTo(caseId, WU, '待签字');
    // Who moved it to them, from whom and why, in each language's half.
    expect(mail.text).toContain('王建国已将案件「');
    expect(mail.text).toContain('」从周强改派给您处理。请确认该案件的问题认定与整改方案');
    expect(mail.text).toContain('转交原因：周强休假 on leave。');
    expect(mail.text).toMatch(/王建国 has reassigned the case "[^"]+" from 周强 to you\./);
    expect(mail.text).toContain('Reason given: 周强休假 on leave.');
    expect(mail.text).not.toContain('请先完成原因分析');
    const path = actionPath(mail);
    const shown = await page(path);
    expect([shown.status, shown.outcome]).toEqual([200, 'ready']);
    const done = await postForm(s.app, path, { ...formFields(shown.html), choice: 'confirm' });
    expect(done.status).toBe(200);
    const view = (await (await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' })).json()) as {
      stage: string;
      responsibleId: string;
    };
    expect([view.stage, view.responsibleId]).toEqual(['rectifying', 'staff-wu']);
  });

  it('a repair reassigned before the arrival: the new technician gets the one-click arrival link', async () => {
    const caseId = await repairCase();
    const first = await mailTo(caseId, ZHOU, '新案件');
    expect(first.text).toContain('到场后点此登记到场');
    await reassign(caseId, 'staff-wu');

    // Handed to them, not a new case.
    const mail = await mailTo(caseId, WU, '案件转交给您');
    expect(mail.text).toContain('到场后点此登记到场');
    expect(mail.text).toContain('」从周强改派给您处理。');
    expect(mail.text).toMatch(/王建国 has reassigned the case "[^"]+" from 周强 to you\./);
    const path = actionPath(mail);
    const shown = await page(path);
    expect([shown.status, shown.outcome]).toEqual([200, 'ready']);
    const done = await postForm(s.app, path, formFields(shown.html));
    expect(done.status).toBe(200);
  });
});

describe('the colleague who takes over a paused case is told of the pause', () => {
  it('why and until when, and that the deadline stated moves with it, in each half', async () => {
    const caseId = await repairCase();
    await mailTo(caseId, ZHOU, '新案件');
    const post = (step: string, as: string, body: unknown) =>
      call(s.app, 'POST', `/api/cases/${caseId}/${step}`, { as, body });
    expect((await post('arrived', 'staff-zhou', { note: '已到场' })).status).toBe(200);
    expect(
      (await post('pause', 'staff-zhou', { reason: 'waiting_for_parts', note: '阀芯缺货' })).status,
    ).toBe(200);
    expect((await post('pause/decision', 'sup-wang', { approve: true })).status).toBe(200);
    await reassign(caseId, 'staff-wu');

    const mail = await mailTo(caseId, WU, '案件转交给您');
    expect(mail.text).toMatch(
      /本案目前暂停计时（等待配件：阀芯缺货），最迟 \S+ \S+ \(Asia\/Shanghai\) 自动恢复。/,
    );
    expect(mail.text).toContain('上述时限是暂停前的时限，暂停结束时将按暂停时长顺延。');
    expect(mail.text).toMatch(
      /The case is paused \(Waiting for parts: 阀芯缺货\) until \S+ \S+ \(Asia\/Shanghai\) at the latest\./,
    );
    expect(mail.html).toContain('本案目前暂停计时');
  });
});

describe('the colleague a case is handed over to is told by whom', () => {
  it('in each half, the hand-over’s holder named, with the reason', async () => {
    const caseId = await repairCase();
    await mailTo(caseId, ZHOU, '新案件');
    const handed = await call(s.app, 'POST', `/api/cases/${caseId}/hand-over`, {
      as: 'staff-zhou',
      body: { assigneeId: 'staff-wu', reason: '下周出差 away next week' },
    });
    expect(handed.status).toBe(200);
    const mail = await mailTo(caseId, WU, '案件转交给您');
    expect(mail.text).toMatch(/周强已将案件「[^」]+」移交给您处理。/);
    expect(mail.text).toContain('转交原因：下周出差 away next week。');
    expect(mail.text).toMatch(/周强 has handed the case "[^"]+" over to you\./);
    expect(mail.text).toContain('Reason given: 下周出差 away next week.');
    expect(mail.html).toContain('移交给您处理');
  });
});

describe('an email link whose step is no longer this person’s says so at GET and POST', () => {
  async function expectGone(path: string, says: string[]) {
    const shown = await page(path);
    expect([shown.status, shown.outcome]).toEqual([409, 'not_open']);
    expect(shown.html).toContain('该步骤已不再需要');
    expect(shown.html).toContain('This step is no longer needed');
    expect(shown.html).not.toContain('name="csrf"');
    for (const text of says) expect(shown.html).toContain(text);
    return shown.html;
  }

  it('an adjudication another supervisor decided: who decided, what and when, and the way to the case', async () => {
    const caseId = await repairCase();
    await rootCause(caseId, 'staff-zhou');
    const signPath = actionPath(await mailTo(caseId, ZHOU, '待签字'));
    const sign = await page(signPath);
    const disputed = await postForm(s.app, signPath, {
      ...formFields(sign.html),
      choice: 'dispute',
      reason: '阀门归工程处 not ours',
    });
    expect(disputed.status).toBe(200);
    const wangPath = actionPath(await mailTo(caseId, 'wang.jianguo@demo.edu.cn', '待裁定'));
    const form = await page(wangPath);
    expect([form.status, form.outcome]).toEqual([200, 'ready']);

    const decided = await call(s.app, 'POST', `/api/cases/${caseId}/adjudication`, {
      as: 'sup-smith',
      body: { decision: 'revise', notes: '重新分析 redo the analysis' },
    });
    expect(decided.status).toBe(200);
    await expectGone(wangPath, [
      '该异议已由 Anna Smith 于',
      '裁定：退回重新分析',
      '案件现处于「原因分析」阶段',
      `href="/app/cases/${caseId}"`,
    ]);
    // The form opened before the decision posts to the same page, and the link stays unused.
    const late = await postForm(s.app, wangPath, {
      ...formFields(form.html),
      choice: 'proceed',
      notes: '按方案',
    });
    expect([late.status, outcomeOf(await late.text())]).toEqual([409, 'not_open']);
  });

  it('the sign-off link of someone the case was reassigned from names who has it now', async () => {
    const caseId = await repairCase();
    await rootCause(caseId, 'staff-zhou');
    const zhouPath = actionPath(await mailTo(caseId, ZHOU, '待签字'));
    const form = await page(zhouPath);
    await reassign(caseId, 'staff-wu');
    await expectGone(zhouPath, ['由 王建国 改派给 吴磊', '签字确认由其办理', `href="/app/cases/${caseId}"`]);
    const late = await postForm(s.app, zhouPath, { ...formFields(form.html), choice: 'confirm' });
    expect([late.status, outcomeOf(await late.text())]).toEqual([409, 'not_open']);
  });

  it('the arrival link of a technician the case was reassigned from', async () => {
    const caseId = await repairCase();
    const zhouPath = actionPath(await mailTo(caseId, ZHOU, '新案件'));
    const form = await page(zhouPath);
    expect([form.status, form.outcome]).toEqual([200, 'ready']);
    await reassign(caseId, 'staff-wu');
    await expectGone(zhouPath, ['由 王建国 改派给 吴磊', '到场登记由其办理']);
    const late = await postForm(s.app, zhouPath, formFields(form.html));
    expect([late.status, outcomeOf(await late.text())]).toEqual([409, 'not_open']);
  });
});
