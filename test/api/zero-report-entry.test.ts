import { beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../domain/calendar.ts';
import type { Directory } from '../../domain/directory.ts';
import { gridCells } from '../../domain/zero-report.ts';
import { createSession } from '../../store/sessions.ts';
import { saveNight } from '../../store/zero-reports.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { seedDemo, uniqueId } from '../support/stack.ts';

/**
 * The fixed address /zero-report sends a grid member to tonight's report page only when tonight's
 * cells name them: one named in the directory after the night opened has nothing to report
 * tonight and is shown the board, not a page that can only refuse them. Own tables, tonight's
 * night saved with cluster a-f1-c1 still in its old member's hands.
 */
const own = appOnOwnTables('zero-entry');
let dir: Directory;
let tonight: string;

beforeAll(async () => {
  dir = await seedDemo(own.deps);
  tonight = localDate(new Date().toISOString(), own.env.CAMPUS_TZ);
  const cells = gridCells(dir).map((c) =>
    c.cellId === 'L3:a-f1-c1' ? { ...c, memberIds: ['grid-a1c2'] } : c,
  );
  const at = new Date().toISOString();
  await saveNight(own.deps, {
    night: tonight,
    workflowId: uniqueId('no-run'),
    openedAt: at,
    closeAt: at,
    acceptUntil: at,
    cells,
  });
});

async function entry(personId: string): Promise<string | null> {
  const s = await createSession(own.deps, { personId, via: 'link' });
  const res = await own.app.request('/zero-report', { headers: { cookie: `rectify_session=${s.id}` } });
  expect(res.status).toBe(302);
  return res.headers.get('location');
}

describe('/zero-report for a grid member', () => {
  it('leads one on tonight’s cells to the report page and one on none of them to the board', async () => {
    expect(await entry('grid-a1c2')).toBe(`/zero-report/${tonight}/report`);
    expect(await entry('grid-a1c1')).toBe(`/zero-report/${tonight}`);
  });
});
