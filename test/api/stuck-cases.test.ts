import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseViewSchema, createdCaseSchema, problemSchema } from '../../api/schemas.ts';
import { EffectFailure } from '../../domain/effect-failure.ts';
import { readChain } from '../../store/audit-chain.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';
import { startRefusingSmtp, until, type RefusingSmtp } from '../support/refusing-smtp.ts';

/**
 * A mail the relay refuses for good (SMTP 550, as a school relay answers an unknown
 * mailbox) does not stall its case: the case records the failure, keeps its audit trail,
 * moves on, tells the admins, and is listed as stuck until an admin retries or dismisses.
 * Real servers throughout: an SMTP server in this process, the stack's Temporal, DynamoDB.
 */
let smtp: RefusingSmtp;
let s: ApiStack;

beforeAll(async () => {
  smtp = await startRefusingSmtp();
  s = await startApiStack({}, smtp.env);
});

afterAll(async () => {
  await s?.stop();
  await smtp?.close();
});

const ZHOU = 'zhou.qiang@demo.edu.cn';
const ADMIN = 'xu.admin@demo.edu.cn';

const viewOf = async (caseId: string) =>
  caseViewSchema.parse(await (await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'admin-xu' })).json());

/** Opens a case assigned to staff-zhou, whose mailbox the relay refuses, and waits until its mail is stuck. */
async function caseWithRefusedMail() {
  smtp.refused.add(ZHOU);
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  expect(res.status).toBe(201);
  const { caseId } = createdCaseSchema.parse(await res.json());
  const view = await until('the refused mail to be stuck', async () => {
    const v = await viewOf(caseId);
    return v.stuck?.length ? v : undefined;
  });
  return { caseId, view };
}

const listed = async (caseId: string) => {
  const res = await call(s.app, 'GET', '/api/admin/stuck-cases', { as: 'admin-xu' });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: { caseId: string; stuck: { id: string; reason: string }[] }[] };
  return body.items.find((i) => i.caseId === caseId);
};

describe('a case whose mail is refused for good', () => {
  it('records it, keeps its audit trail, moves on, tells the admins, and is retried by an admin', async () => {
    const { caseId, view } = await caseWithRefusedMail();
    expect(view.stuck).toEqual([
      expect.objectContaining({
        id: 'x1',
        kind: 'email',
        what: 'assigned',
        reason: EffectFailure.EmailRejected,
      }),
    ]);
    expect(view.timeline.map((t) => t.action)).toContain('effect_failed');
    // The audit trail was not held up by the mail: every record is in, the failure too.
    const chain = await until('the failure in the audit trail', async () => {
      const c = await readChain(s.activityDeps.ddb, s.activityDeps.tables, caseId);
      return c.some((e) => e.action === 'effect_failed') ? c : undefined;
    });
    expect(chain.map((e) => e.action).slice(0, 2)).toEqual(['detected', 'assigned']);
    // The admins hear of it.
    await until('the admins notice', async () =>
      smtp.received.find((m) => m.to.includes(ADMIN) && m.data.includes(caseId)),
    );

    // The case moves on.
    const rc = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
      as: 'sup-wang',
      body: { causes: ['阀芯老化'], responsibleId: 'staff-zhao', plan: '更换阀芯' },
    });
    expect(rc.status).toBe(200);
    expect(caseViewSchema.parse(await rc.json()).stage).toBe('awaiting_signoff');
    await until('the sign-off request', async () =>
      smtp.received.find((m) => m.to.includes('zhao.wei@demo.edu.cn') && m.data.includes(caseId)),
    );

    // Listed as stuck (the search attribute reaches visibility a little later), to admins only.
    const item = await until('the case in the stuck list', () => listed(caseId));
    expect(item.stuck).toEqual([expect.objectContaining({ id: 'x1', reason: EffectFailure.EmailRejected })]);
    const notAdmin = await call(s.app, 'GET', '/api/admin/stuck-cases', { as: 'sup-wang' });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.headers.get('content-type')).toContain('application/problem+json');

    // The mailbox is fixed; the admin retries and the mail goes.
    smtp.refused.delete(ZHOU);
    const retry = await call(s.app, 'POST', `/api/admin/stuck-cases/${caseId}/effects/x1/retry`, {
      as: 'admin-xu',
    });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ stuck: [] });
    expect(smtp.received.some((m) => m.to.includes(ZHOU) && m.data.includes(caseId))).toBe(true);
    const after = await viewOf(caseId);
    expect(after.stuck).toEqual([]);
    expect(after.timeline.map((t) => t.action)).toContain('effect_retried');
    expect(after.stage).toBe('awaiting_signoff');
    await until('the case off the stuck list', async () => ((await listed(caseId)) ? undefined : true));
  });

  it('is dismissed by an admin; an unknown effect is a 404', async () => {
    const { caseId } = await caseWithRefusedMail();
    const unknown = await call(s.app, 'POST', `/api/admin/stuck-cases/${caseId}/effects/x99/dismiss`, {
      as: 'admin-xu',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    // An id not shaped as the list shows it is a 400 in the caller's language.
    const misshapen = await call(s.app, 'POST', `/api/admin/stuck-cases/${caseId}/effects/e1/dismiss`, {
      as: 'admin-xu',
    });
    expect(misshapen.status).toBe(400);
    expect(problemSchema.parse(await misshapen.json()).errors).toEqual([
      { field: 'effectId', message: '须为列表中显示的操作编号（x1、x2……）' },
    ]);
    const byOther = await call(s.app, 'POST', `/api/admin/stuck-cases/${caseId}/effects/x1/dismiss`, {
      as: 'sup-wang',
    });
    expect(byOther.status).toBe(403);
    const dismissed = await call(s.app, 'POST', `/api/admin/stuck-cases/${caseId}/effects/x1/dismiss`, {
      as: 'admin-xu',
    });
    expect(dismissed.status).toBe(200);
    expect(await dismissed.json()).toEqual({ stuck: [] });
    const v = await viewOf(caseId);
    expect(v.stuck).toEqual([]);
    expect(v.timeline.map((t) => t.action)).toContain('effect_dismissed');
    expect(smtp.received.some((m) => m.to.includes(ZHOU) && m.data.includes(caseId))).toBe(false);
  });
});

describe('the stuck-case list', () => {
  it('refuses a parameter it does not take (it has no paging) with 400, as every other route does', async () => {
    const res = await call(s.app, 'GET', '/api/admin/stuck-cases?limit=-5&foo=bar&lang=en', {
      as: 'admin-xu',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(problemSchema.parse(await res.json()).errors?.map((e) => e.message)).toEqual([
      'limit, foo are not fields here (check the spelling, or leave them out)',
    ]);
    const lang = await call(s.app, 'GET', '/api/admin/stuck-cases?lang=fr', { as: 'admin-xu' });
    expect(lang.status).toBe(400);
    expect((await call(s.app, 'GET', '/api/admin/stuck-cases?lang=en', { as: 'admin-xu' })).status).toBe(200);
    const retry = await call(
      s.app,
      'POST',
      '/api/admin/stuck-cases/ZG-2026-000001/effects/x1/retry?force=1',
      {
        as: 'admin-xu',
      },
    );
    expect(retry.status).toBe(400);
    expect(problemSchema.parse(await retry.json()).errors?.map((e) => e.field)).toEqual(['(query)']);
  });
});
