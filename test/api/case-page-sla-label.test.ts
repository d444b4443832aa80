import { beforeAll, describe, expect, it } from 'vitest';
import { SLA_CATALOGUE_VERSION } from '../../domain/sla.ts';
import { createSession } from '../../store/sessions.ts';
import { testView } from '../support/audit-fixtures.ts';
import { putCases } from '../support/feedback-harness.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { seedDemo } from '../support/stack.ts';

/**
 * A case keeps the SLA rule label its policy pinned when it opened. One opened before the labels
 * lost their inner colon ("Safety hazard: respond within 24 hours; …") reads on its page as the
 * rule is worded now.
 */
const own = appOnOwnTables('sla-label');
const caseId = `ZG-2099-${String(Math.floor(Math.random() * 900000) + 100000)}`;

beforeAll(async () => {
  await seedDemo(own.deps);
  await putCases(own.deps, [
    {
      ...testView(caseId, { version: 2 }),
      sla: {
        version: SLA_CATALOGUE_VERSION,
        ruleId: 'grid_report.safety',
        label: {
          zh: '安全隐患：24小时内响应；影响学生生活和公寓安全的问题24小时内处置完成。',
          en: 'Safety hazard: respond within 24 hours; fixed within 24 hours.',
        },
      },
    },
  ]);
});

async function casePage(lang: string): Promise<string> {
  const s = await createSession(own.deps, { personId: 'sup-wang', via: 'link' });
  const res = await own.app.request(`/app/cases/${caseId}?lang=${lang}`, {
    headers: { cookie: `rectify_session=${s.id}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe('the case page’s time-limit rule', () => {
  it('reads in the catalogue’s wording now, without a colon of its own, in each language', async () => {
    const en = await casePage('en');
    expect(en).toContain(`Safety hazard responded to and fixed within 24 hours. (${SLA_CATALOGUE_VERSION})`);
    expect(en).not.toContain('Safety hazard: respond');
    const zh = await casePage('zh-CN');
    expect(zh).toContain(
      `安全隐患24小时内响应；影响学生生活和公寓安全的问题24小时内处置完成。 (${SLA_CATALOGUE_VERSION})`,
    );
  });
});
