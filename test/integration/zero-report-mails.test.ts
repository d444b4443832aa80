import { beforeAll, describe, expect, it } from 'vitest';
import { createZeroReportActivities } from '../../activities/zero-report.ts';
import type { Directory } from '../../domain/directory.ts';
import { escalationsFor, gridCells } from '../../domain/zero-report.ts';
import { claimNight, loadNight } from '../../store/zero-reports.ts';
import { seedDemo, sentEmails, testDeps, uniqueId } from '../support/stack.ts';

/**
 * The close of a night nobody reported, through the activities the night's run calls: each person
 * hears once of all the silent cells they answer for, a retry sends nothing again, the board keeps
 * each cell's escalation, and the counsellors' summaries do not read as all clear. A night of its
 * own far ahead, so the mails are this file's alone.
 */
const deps = testDeps();
const acts = createZeroReportActivities(deps);
const store = { ddb: deps.ddb, tables: deps.tables };
const NIGHT = `2${String(100 + Math.floor(Math.random() * 899))}-03-${String(10 + Math.floor(Math.random() * 18))}`;
let dir: Directory;

beforeAll(async () => {
  dir = await seedDemo(deps);
  await claimNight(store, {
    night: NIGHT,
    workflowId: uniqueId('zero-mails'),
    openedAt: new Date().toISOString(),
    closeAt: new Date().toISOString(),
    acceptUntil: new Date().toISOString(),
    cells: gridCells(dir),
  });
});

const emailOf = (id: string) => dir.people.find((p) => p.id === id)?.email ?? id;
const ofTonight = (what: string) => sentEmails((e) => e.subject.includes(`${what}${NIGHT}`));

describe('the close of a night no cell reported', () => {
  it('sends each person one escalation listing every silent cell they hear of, once', async () => {
    const cells = gridCells(dir);
    const escalations = escalationsFor(
      cells,
      cells.map((c) => c.cellId),
      dir.campus.workingGroupIds,
    );
    const input = { night: NIGHT, at: new Date().toISOString(), cells, escalations };
    const recipients = [...new Set(escalations.flatMap((e) => e.toIds))];
    expect(await acts.escalateZeroReports(input)).toBe(recipients.length);

    const mails = await ofTonight('【零报告未报】');
    expect(mails.flatMap((m) => m.to).sort()).toEqual(recipients.map(emailOf).sort());
    // A building's level 1 hears of each of its silent floors and clusters, in one mail.
    const level1 = dir.buildings[0]?.gridMemberIds[0] ?? '';
    const heard = cells.filter((c) =>
      escalations.some((e) => e.cellId === c.cellId && e.toIds.includes(level1)),
    );
    expect(heard.length).toBeGreaterThan(1);
    const theirs = mails.filter((m) => m.to.includes(emailOf(level1)));
    expect(theirs).toHaveLength(1);
    for (const c of heard) expect(theirs[0]?.text).toContain(`  - ${c.name.zh}（网格员：`);

    // The activity retried (a worker lost mid-way): nobody gets a second mail.
    await acts.escalateZeroReports(input);
    expect(await ofTonight('【零报告未报】')).toHaveLength(mails.length);

    // The board still shows each cell's escalation.
    const night = await loadNight(store, NIGHT);
    expect(night?.escalations.map((e) => e.cellId).sort()).toEqual(cells.map((c) => c.cellId).sort());
  });

  it('opens each summary with "0 of N cells reported" and gives no late or absent figure', async () => {
    await acts.sendZeroSummaries({
      night: NIGHT,
      at: new Date().toISOString(),
      cells: gridCells(dir),
      reports: [],
    });
    const mails = await ofTonight('【零报告汇总】');
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails) {
      expect(m.text).toMatch(/\d+ 个网格中 0 个已上报/);
      expect(m.text).toMatch(/0 of \d+ cells reported/);
      expect(m.text).not.toMatch(/晚归 0 人|Late: 0|^\s*无$/m);
    }
  });
});
