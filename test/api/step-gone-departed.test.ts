import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, TimelineEntry } from '../../domain/case-model.ts';
import { saveDirectory } from '../../store/directory.ts';
import { issueLink } from '../../store/links.ts';
import { testView } from '../support/audit-fixtures.ts';
import { putCases } from '../support/feedback-harness.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory } from '../support/stack.ts';

/**
 * Found by a probe: an email link's page that says who already took its step (decided the
 * dispute, reassigned the case, recorded the arrival) named someone since removed from the
 * directory by a bare id ("staff-zhao"). Own tables, so removing demo people here touches no other
 * test; the cases are records only (no workflow), which the link pages read as they are.
 */
const own = appOnOwnTables('goneleft');
const { deps } = own;

const WANG = { zh: '王建国（已离开名录）', en: '王建国 (no longer in the directory)' };
const ZHAO = { zh: '赵伟（已离开名录）', en: '赵伟 (no longer in the directory)' };

beforeAll(async () => {
  const demo = await demoDirectory();
  await saveDirectory(deps.ddb, deps.tables, demo);
  // sup-wang and staff-zhao leave; two more saves tidy away the version that still had them.
  const without = {
    ...demo,
    people: demo.people.filter((p) => p.id !== 'sup-wang' && p.id !== 'staff-zhao'),
  };
  await saveDirectory(deps.ddb, deps.tables, without);
  await saveDirectory(deps.ddb, deps.tables, {
    ...without,
    campus: { ...demo.campus, name: { zh: '改名', en: 'renamed' } },
  });
  await saveDirectory(deps.ddb, deps.tables, without);
});

const at = new Date(Date.now() - 3_600_000).toISOString();
const step = (action: TimelineEntry['action'], actorId: string): TimelineEntry => ({
  at,
  actorId,
  action,
  stage: 'analysing',
  round: 1,
});

/** An open case record as `edit` leaves it, and the page of a link of `link` to it. */
async function linkPage(
  edit: (v: CaseView) => CaseView,
  link: { step: string; action: string; recipientId: string },
): Promise<{ status: number; html: string }> {
  const caseId = `ZG-2099-${String(Math.floor(Math.random() * 900000) + 100000)}`;
  await putCases(deps, [edit(testView(caseId))]);
  const { token } = await issueLink(
    { ddb: deps.ddb, tables: deps.tables, keys: deps.signingKeys },
    { caseId, round: 1, ...link },
  );
  const res = await own.app.request(`/actions/${token}`);
  return { status: res.status, html: await res.text() };
}

function expectNamed(html: string, says: string[]) {
  for (const text of says) expect(html).toContain(text);
  expect(html).not.toMatch(/\b(sup-wang|staff-zhao)\b/);
}

describe('a link page that says who took its step, after they left the directory', () => {
  it('an adjudication decided by a supervisor since removed names them, marked as gone', async () => {
    const page = await linkPage(
      (v) => ({
        ...v,
        adjudications: [{ decision: 'revise', notes: 'redo', by: 'sup-wang', at }],
        timeline: [step('adjudicated', 'sup-wang')],
      }),
      { step: 'adjudication', action: 'adjudicate', recipientId: 'sup-smith' },
    );
    expect(page.status).toBe(409);
    expectNamed(page.html, [`该异议已由 ${WANG.zh} 于`, `${WANG.en} adjudicated this dispute at`]);
  });

  it('a sign-off link of a case reassigned since, by and to people since removed', async () => {
    const page = await linkPage(
      (v) => ({
        ...v,
        stage: 'awaiting_signoff',
        assigneeId: 'staff-zhao',
        responsibleId: 'staff-zhao',
        timeline: [step('reassigned', 'sup-wang')],
      }),
      { step: 'sign_off', action: 'sign_off', recipientId: 'staff-zhou' },
    );
    expect(page.status).toBe(409);
    expectNamed(page.html, [
      `由 ${WANG.zh} 改派给 ${ZHAO.zh}，签字确认由其办理`,
      `reassigned to ${ZHAO.en} by ${WANG.en} at`,
    ]);
  });

  it('an arrival recorded by a technician since removed', async () => {
    const page = await linkPage((v) => ({ ...v, timeline: [step('arrived', 'staff-zhao')] }), {
      step: 'arrived',
      action: 'arrived',
      recipientId: 'staff-zhou',
    });
    expect(page.status).toBe(410);
    expectNamed(page.html, [`由 ${ZHAO.zh} 登记到场`, `${ZHAO.en} recorded the arrival for case`]);
  });

  it('an arrival link of a case reassigned since, by and to people since removed', async () => {
    const page = await linkPage(
      (v) => ({
        ...v,
        assigneeId: 'staff-zhao',
        responsibleId: 'staff-zhao',
        timeline: [step('reassigned', 'sup-wang')],
      }),
      { step: 'arrived', action: 'arrived', recipientId: 'staff-zhou' },
    );
    expect(page.status).toBe(409);
    expectNamed(page.html, [
      `由 ${WANG.zh} 改派给 ${ZHAO.zh}，到场登记由其办理`,
      `reassigned to ${ZHAO.en} by ${WANG.en} at`,
    ]);
  });
});
