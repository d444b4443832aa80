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

// An email-link form whose text is over its limit says the limit and keeps what was typed.

const s = useApiStack();

async function openCase(over: Record<string, unknown> = {}): Promise<string> {
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody(over) });
  expect(res.status).toBe(201);
  const { caseId } = createdCaseSchema.parse(await res.json());
  const rc = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
    as: 'sup-wang',
    body: { causes: ['阀芯老化'], responsibleId: 'staff-zhou', plan: '更换阀芯' },
  });
  expect(rc.status).toBe(200);
  return caseId;
}

const linkOf = async (caseId: string, subject: string, to: string) =>
  actionPath(
    await waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes(subject) && e.to.includes(to)),
  );

async function tooLong(path: string, fields: Record<string, string>, field: string, typed: string) {
  const html = await (await s.app.request(path)).text();
  const res = await postForm(s.app, path, { ...formFields(html), ...fields, [field]: typed });
  const page = await res.text();
  expect([res.status, outcomeOf(page)]).toEqual([422, 'ready']);
  expect(page).not.toContain('内容无效');
  expect(page).not.toContain(': invalid');
  // What was typed comes back whole in its field, to be shortened rather than typed again.
  expect(page).toContain(`name="${field}" maxlength=`);
  expect(page).toContain(`>${typed}</textarea>`);
  return page;
}

describe('a text over its limit in an email-link form', () => {
  it('a dispute reason: 最多 2000 个字符 / at most 2000 characters, the text kept', async () => {
    const caseId = await openCase();
    const path = await linkOf(caseId, '待签字', 'zhou.qiang@demo.edu.cn');
    const page = await tooLong(path, { choice: 'dispute' }, 'reason', '不'.repeat(2001));
    expect(page).toContain('异议理由：最多 2000 个字符，现为 2001 个');
    expect(page).toContain('Reason for the dispute: at most 2000 characters (this has 2001)');
    // The dispute choice stays ticked.
    expect(page).toMatch(/value="dispute" checked/);
    // Said in the title and first on the page, where the keyboard lands, tied to the reason.
    expect(page).toMatch(/<title>错误：/);
    expect(page).toMatch(/<div class="error" id="form-error" tabindex="-1" autofocus=""[^>]*>/);
    expect(page.indexOf('id="form-error"')).toBeLessThan(page.indexOf('<table'));
    expect(page).toContain('<a href="#field-reason">');
    expect(page).toMatch(
      /<textarea id="field-reason" name="reason"[^>]*aria-invalid="true" aria-describedby="form-error"/,
    );
  });

  it('a survey comment over 500 (as on the tracking page) and adjudication notes over 5000 say their own limits', async () => {
    const email = `limits-${Date.now().toString(36)}@example.edu.cn`;
    const caseId = await openCase({ reporter: { name: '小明', email } });
    const sign = await linkOf(caseId, '待签字', 'zhou.qiang@demo.edu.cn');
    const shown = await (await s.app.request(sign)).text();
    const disputed = await postForm(s.app, sign, {
      ...formFields(shown),
      choice: 'dispute',
      reason: '不同意',
    });
    expect(disputed.status).toBe(200);

    const adjudication = await linkOf(caseId, '待裁定', 'wang.jianguo@demo.edu.cn');
    const notes = await tooLong(adjudication, { choice: 'proceed' }, 'notes', '按'.repeat(5001));
    expect(notes).toContain('裁定说明：最多 5000 个字符，现为 5001 个');
    expect(notes).toContain('name="notes" maxlength="5000"');
    const form = await (await s.app.request(adjudication)).text();
    const decided = await postForm(s.app, adjudication, {
      ...formFields(form),
      choice: 'proceed',
      notes: '按方案',
    });
    expect(decided.status).toBe(200);

    const rect = await call(s.app, 'POST', `/api/cases/${caseId}/rectification`, {
      as: 'staff-zhou',
      body: { summary: '已更换阀芯', evidence: ['photo-1.jpg'] },
    });
    expect(rect.status).toBe(200);
    const review = await call(s.app, 'POST', `/api/cases/${caseId}/review`, {
      as: 'sup-wang',
      body: { passed: true, notes: '' },
    });
    expect(review.status).toBe(200);
    const survey = actionPath(await waitForEmail((e) => e.to.includes(email) && e.subject.includes(caseId)));
    const page = await tooLong(
      survey,
      { attitude: '5', quality: '4', cleanup: '5' },
      'comment',
      '好'.repeat(2050),
    );
    expect(page).toContain('意见：最多 500 个字符，现为 2050 个');
    expect(page).toContain('Comment: at most 500 characters (this has 2050)');
  });
});

describe('the fields a refused link form marks', () => {
  it('are the ones the checks refused, also when nothing posted looks wrong', async () => {
    const caseId = await openCase();
    const path = await linkOf(caseId, '待签字', 'zhou.qiang@demo.edu.cn');
    const shown = await (await s.app.request(path)).text();
    // A reason of the right length, chosen, but holding a text-direction override: the reason is refused.
    const res = await postForm(s.app, path, {
      ...formFields(shown),
      choice: 'confirm',
      reason: '理由\u202e说明',
    });
    const page = await res.text();
    expect([res.status, outcomeOf(page)]).toEqual([422, 'ready']);
    expect(page).toContain('<a href="#field-reason">');
    expect(page).toMatch(/<textarea id="field-reason" name="reason"[^>]*aria-invalid="true"/);
    expect(page).not.toMatch(/<input type="radio"[^>]*aria-invalid/);

    // No choice at all: the choices, not the (empty, unasked) reason.
    const none = await postForm(s.app, path, { ...formFields(shown) });
    const html = await none.text();
    expect(none.status).toBe(422);
    expect(html).toContain('<a href="#field-choice">');
    expect(html).not.toMatch(/<textarea[^>]*aria-invalid/);
  });
});

describe('the link pages’ Content-Security-Policy', () => {
  it('lets the page’s own icon (a data: URL) load, and nothing else from elsewhere', async () => {
    const caseId = await openCase();
    const path = await linkOf(caseId, '待签字', 'zhou.qiang@demo.edu.cn');
    const res = await s.app.request(path);
    const html = await res.text();
    expect(html).toContain('<link rel="icon" href="data:image/svg+xml,');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp.split(';').map((d) => d.trim())).toContain('img-src data:');
    // An unusable link's page has the same icon and policy.
    const bad = await s.app.request('/actions/not-a-token');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-security-policy')).toContain('img-src data:');
  });
});
