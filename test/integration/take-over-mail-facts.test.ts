import { describe, expect, it } from 'vitest';
import { caseMailFacts } from '../../activities/case-mail-facts.ts';
import { appendAudit } from '../../store/audit-chain.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { loadDirectory, saveDirectory } from '../../store/directory.ts';
import { testView } from '../support/audit-fixtures.ts';
import { demoDirectory, ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';

/**
 * What the take-over mail is told: found by a probe, a case reassigned from someone who had left
 * the directory was mailed "从staff-cc1改派给您", and one handed over while paused said nothing of
 * the pause. Own tables, so the leaver's removal touches no other test.
 */
describe('the facts of a take-over mail', () => {
  it('name the former holder who left by their last name, marked, and carry the pause the case is in', async () => {
    const deps = testDeps(testEnv(ownTables(uniqueId('mailfacts'))));
    await ensureTables(deps.ddb, deps.tables);
    const demo = await demoDirectory();
    const leaver = {
      ...demo.people.find((p) => p.id === 'staff-zhou')!,
      id: 'staff-cc1',
      name: '测试离职员工',
    };
    await saveDirectory(deps.ddb, deps.tables, { ...demo, people: [...demo.people, leaver] });
    const caseId = uniqueId('ZG-FACTS');
    const openedAt = new Date().toISOString();
    const view = testView(caseId, { openedAt });
    const pause = {
      n: 1,
      reason: 'waiting_for_parts' as const,
      note: '阀芯缺货',
      requestedBy: 'staff-cc1',
      requestedAt: openedAt,
      state: 'approved' as const,
      endsBy: '2026-12-14T08:15:00.000Z',
      holdsStage: true,
    };
    await appendAudit(deps.ddb, deps.tables, {
      caseId,
      stepId: 'step-1',
      at: openedAt,
      actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
      action: 'reassigned',
      payload: { from: 'staff-cc1', to: 'staff-wu', reason: '员工离职' },
      view: { ...view, assigneeId: 'staff-wu', pauses: [pause], version: 1 },
    });
    // The leaver goes, and two more saves tidy away the version that listed them.
    await saveDirectory(deps.ddb, deps.tables, demo);
    await saveDirectory(deps.ddb, deps.tables, {
      ...demo,
      campus: { ...demo.campus, name: { zh: '改', en: 'x' } },
    });
    await saveDirectory(deps.ddb, deps.tables, demo);

    const facts = await caseMailFacts(
      { ddb: deps.ddb, tables: deps.tables, timeZone: 'Asia/Shanghai' },
      await loadDirectory(deps.ddb, deps.tables, true),
      { caseId, kind: 'assigned', key: 'reassigned1', to: { personIds: ['staff-wu'] } },
    );
    expect(facts.move).toEqual({
      how: 'reassigned',
      byName: '王建国',
      fromName: '测试离职员工',
      fromLeft: true,
    });
    expect(facts.pause).toEqual({
      state: 'approved',
      reason: { zh: '等待配件', en: 'Waiting for parts' },
      note: '阀芯缺货',
      endsByText: '2026/12/14 16:15 (Asia/Shanghai)',
      movesDue: true,
    });
  });
});
