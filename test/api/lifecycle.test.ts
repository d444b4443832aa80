import { describe, expect, it } from 'vitest';
import { readChain } from '../../store/audit-chain.ts';
import { caseViewSchema, createdCaseSchema, problemSchema } from '../../api/schemas.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import { uniqueId } from '../support/stack.ts';
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

const s = useApiStack();

const viewOf = async (caseId: string, as = 'sup-wang') =>
  caseViewSchema.parse(await (await call(s.app, 'GET', `/api/cases/${caseId}`, { as })).json());

describe('a whole case through HTTP and email links only', () => {
  it('opens, analyses, is signed off by link, rectified, reviewed and rated by the reporter by link', async () => {
    const reporter = { name: '张同学', email: `${uniqueId('stu')}@students.demo.edu.cn` };
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody({ reporter }) });
    expect(res.status).toBe(201);
    const created = createdCaseSchema.parse(await res.json());
    const { caseId } = created;
    expect(caseId).toMatch(/^ZG-\d{4}-\d{6}$/);
    expect(res.headers.get('location')).toBe(`/api/cases/${caseId}`);
    expect(created.stage).toBe('analysing');
    expect(created.deadlines).toHaveLength(1);

    const rc = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
      as: 'sup-wang',
      body: {
        causes: ['阀芯老化'],
        responsibleId: 'staff-zhou',
        plan: '更换阀芯',
        whys: ['漏水', '阀芯老化'],
      },
    });
    expect(rc.status).toBe(200);
    expect(caseViewSchema.parse(await rc.json()).stage).toBe('awaiting_signoff');

    // The responsible staff member signs through the link in the email.
    const signMail = await waitForEmail(
      (e) =>
        e.subject.includes(caseId) && e.to.includes('zhou.qiang@demo.edu.cn') && e.subject.includes('待签字'),
    );
    const signPath = actionPath(signMail);
    const page = await s.app.request(signPath);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('更换阀芯');
    expect(html).toContain(`本人周强（staff-zhou）已阅读案件 ${caseId}`);
    expect((await viewOf(caseId)).stage).toBe('awaiting_signoff');

    const signed = await postForm(
      s.app,
      signPath,
      { ...formFields(html), choice: 'confirm' },
      { 'user-agent': 'TestBrowser/1.0', 'x-forwarded-for': '203.0.113.7' },
    );
    expect(signed.status).toBe(200);
    expect(outcomeOf(await signed.text())).toBe('done');
    let v = await viewOf(caseId);
    expect(v.stage).toBe('rectifying');
    expect(v.signOffs[0]).toMatchObject({
      decision: 'confirm',
      by: 'staff-zhou',
      signature: { ip: '203.0.113.7', userAgent: 'TestBrowser/1.0', textHash: formFields(html).textHash },
    });
    expect(v.signOffs[0]?.signature?.tokenId).toMatch(/^[A-Za-z0-9_-]{22,}$/);

    const rect = await call(s.app, 'POST', `/api/cases/${caseId}/rectification`, {
      as: 'staff-zhou',
      body: { summary: '已更换阀芯', evidence: ['photo-1.jpg'] },
    });
    expect(rect.status).toBe(200);
    // The case refuses a review by staff, in the caller's language only (its message holds both).
    const byStaff = async (headers: Record<string, string>) => {
      const res = await call(s.app, 'POST', `/api/cases/${caseId}/review`, {
        as: 'staff-zhou',
        body: { passed: true, notes: 'ok' },
        headers,
      });
      expect(res.status).toBe(403);
      return problemSchema.parse(await res.json());
    };
    expect(await byStaff({ 'accept-language': 'en' })).toMatchObject({
      title: 'Not allowed',
      detail: 'only a supervisor of this building may do the review',
    });
    expect(await byStaff({ 'accept-language': 'zh-CN' })).toMatchObject({
      title: '无权执行此操作',
      detail: '只有本楼栋主管可以复查',
    });
    const review = await call(s.app, 'POST', `/api/cases/${caseId}/review`, {
      as: 'sup-wang',
      body: { passed: true, notes: '复查合格' },
    });
    expect(review.status).toBe(200);
    expect(caseViewSchema.parse(await review.json()).stage).toBe('follow_up');

    // The reporter rates the result through the survey link.
    const survey = await waitForEmail((e) => e.to.includes(reporter.email) && e.subject.includes(caseId));
    const ratePath = actionPath(survey);
    const ratePage = await s.app.request(ratePath);
    expect(ratePage.status).toBe(200);
    const rateHtml = await ratePage.text();
    expect(rateHtml).toContain('已更换阀芯');
    const rated = await postForm(s.app, ratePath, { ...formFields(rateHtml), score: '5', comment: '很满意' });
    expect(rated.status).toBe(200);
    expect(outcomeOf(await rated.text())).toBe('done');

    const closed = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'audit-he' });
    expect(closed.status).toBe(200);
    expect(closed.headers.get('x-case-source')).toBe('record');
    v = caseViewSchema.parse(await closed.json());
    expect(v.stage).toBe('closed');
    expect(v.followUp).toMatchObject({ score: 5, comment: '很满意', outcome: 'rated' });

    const chain = await readChain(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    expect(verifyChain(chain, caseId)).toMatchObject({ ok: true });
    const signedEntry = chain.find((e) => e.action === 'signed_off');
    expect(signedEntry?.actor).toMatchObject({ id: 'staff-zhou', via: 'link' });
    expect(JSON.stringify(signedEntry?.payload)).toContain('203.0.113.7');
    const ratedEntry = chain.find((e) => e.action === 'follow_up_rated');
    expect(ratedEntry?.actor).toMatchObject({ id: `reporter:${reporter.email}`, via: 'link' });

    // A used link stays used.
    const again = await s.app.request(signPath);
    expect(again.status).toBe(410);
    expect(outcomeOf(await again.text())).toBe('used');
  });

  it('takes a dispute to a supervisor, whose adjudication page is in their language (en)', async () => {
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-smith', body: newCaseBody() });
    expect(res.status).toBe(201);
    const { caseId } = createdCaseSchema.parse(await res.json());
    await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
      as: 'sup-smith',
      body: { causes: ['维修不及时'], responsibleId: 'staff-zhou', plan: '当天修复' },
    });
    const signPath = actionPath(
      await waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes('待签字')),
    );
    const html = await (await s.app.request(signPath)).text();

    const noReason = await postForm(s.app, signPath, { ...formFields(html), choice: 'dispute' });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('提出异议须写明理由');
    expect((await viewOf(caseId)).stage).toBe('awaiting_signoff');

    const disputed = await postForm(s.app, signPath, {
      ...formFields(html),
      choice: 'dispute',
      reason: '配件缺货，非本人责任',
    });
    expect(disputed.status).toBe(200);
    expect((await viewOf(caseId)).stage).toBe('adjudicating');

    const adjMail = await waitForEmail(
      (e) =>
        e.subject.includes(caseId) &&
        e.to.includes('anna.smith@demo.edu.cn') &&
        e.subject.includes('Adjudication'),
    );
    const adjPath = actionPath(adjMail);
    const adjPage = await s.app.request(adjPath);
    expect(adjPage.status).toBe(200);
    const adjHtml = await adjPage.text();
    expect(adjHtml).toContain('<html lang="en">');
    expect(adjHtml).toContain('配件缺货，非本人责任');
    const done = await postForm(s.app, adjPath, {
      ...formFields(adjHtml),
      choice: 'proceed',
      notes: 'Parts arrive tomorrow; proceed.',
    });
    expect(done.status).toBe(200);
    const v = await viewOf(caseId);
    expect(v.stage).toBe('rectifying');
    expect(v.adjudications[0]).toMatchObject({ decision: 'proceed', by: 'sup-smith' });
  });
});
