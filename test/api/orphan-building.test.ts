import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../domain/directory.ts';
import { loadDirectory, saveDirectory } from '../../store/directory.ts';
import { emailOf } from '../support/case-harness.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { call, newCaseBody, startApiStackOn, waitForEmail, type ApiStack } from './harness.ts';

/**
 * Issue 15: who supervises a case is read from the directory when it is needed, the pinned
 * supervisors as the fallback. Found: a building whose supervisors were all taken off left its open
 * cases with nobody: the pinned supervisors were refused the case (its read rule looked at the
 * directory alone) and a pause request was mailed to no one. Own tables: the directory changes.
 */
const tables = ownTables(uniqueId('orphan'));
let s: ApiStack;

beforeAll(async () => {
  s = await startApiStackOn(tables);
});
afterAll(async () => {
  await s?.stop();
});

const withSupervisors = (dir: Directory, ids: string[]): Directory => ({
  ...dir,
  buildings: dir.buildings.map((b) => (b.id === 'bldg-a' ? { ...b, supervisorIds: ids } : b)),
});

async function useDirectory(dir: Directory): Promise<void> {
  await saveDirectory(s.activityDeps.ddb, s.activityDeps.tables, dir);
  await loadDirectory(s.activityDeps.ddb, s.activityDeps.tables, true);
}

describe('a building left with no supervisor', () => {
  it('keeps its open cases with the supervisors pinned when they opened, until someone is appointed', async () => {
    const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    const read = async (as: string) => (await call(s.app, 'GET', `/api/cases/${caseId}`, { as })).status;

    await useDirectory(withSupervisors(s.dir, []));
    // Before the fix: 403, the directory's building names no supervisor.
    // sup-smith, pinned beside sup-wang (who opened the case and reads it as its opener).
    expect(await read('sup-smith')).toBe(200);
    expect(await read('sup-li')).toBe(403);

    // A pause asked for now reaches the pinned supervisors, and one of them decides it.
    const asked = await call(s.app, 'POST', `/api/cases/${caseId}/pause`, {
      as: 'staff-zhou',
      body: { reason: 'waiting_for_parts', note: '等配件' },
    });
    expect(asked.status).toBe(200);
    const mail = await waitForEmail((e) => e.subject.startsWith(`【暂停申请】${caseId}`));
    expect(mail.to).toContain(emailOf(s.dir, 'sup-wang'));
    const decided = await call(s.app, 'POST', `/api/cases/${caseId}/pause/decision`, {
      as: 'sup-smith',
      body: { approve: true },
    });
    expect(decided.status).toBe(200);

    // Once the building has a supervisor again, the directory decides alone.
    await useDirectory(withSupervisors(s.dir, ['sup-li']));
    expect(await read('sup-li')).toBe(200);
    expect(await read('sup-smith')).toBe(403);
  });
});
