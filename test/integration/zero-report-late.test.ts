import { beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { EffectFailure } from '../../domain/effect-failure.ts';
import { createZeroReportActivities } from '../../activities/zero-report.ts';
import type { Directory } from '../../domain/directory.ts';
import { escalationsFor, gridCells, type ZeroReport } from '../../domain/zero-report.ts';
import { claimNight } from '../../store/zero-reports.ts';
import { seedDemo, sentEmails, testDeps, uniqueId } from '../support/stack.ts';

/**
 * A report a cell sends after the close reaches those the close told about the night without it:
 * the counsellor whose students live in its rooms (their rows only) and whoever heard the cell was
 * silent; once, whatever the retries. A night of its own far ahead, so the mails are this file's.
 */
const deps = testDeps();
const acts = createZeroReportActivities(deps);
const store = { ddb: deps.ddb, tables: deps.tables };
const NIGHT = `2${String(100 + Math.floor(Math.random() * 899))}-04-${String(10 + Math.floor(Math.random() * 18))}`;
const CELL = 'L3:a-f1-c1';
let dir: Directory;

beforeAll(async () => {
  dir = await seedDemo(deps);
  const cells = gridCells(dir);
  await claimNight(store, {
    night: NIGHT,
    workflowId: uniqueId('zero-late'),
    openedAt: new Date().toISOString(),
    closeAt: new Date().toISOString(),
    acceptUntil: new Date().toISOString(),
    cells,
  });
  // Nobody reported by the close: every cell escalated, the summaries sent.
  const escalations = escalationsFor(
    cells,
    cells.map((c) => c.cellId),
    dir.campus.workingGroupIds,
  );
  await acts.escalateZeroReports({ night: NIGHT, at: new Date().toISOString(), cells, escalations });
});

const emailOf = (id: string) => dir.people.find((p) => p.id === id)?.email ?? id;
const lateMails = () => sentEmails((e) => e.subject.includes(`【零报告补报】${NIGHT}`));

const report = (over: Partial<ZeroReport>): ZeroReport => ({
  night: NIGHT,
  cellId: CELL,
  personId: 'grid-a1c1',
  via: 'api',
  late: [],
  absent: [],
  none: false,
  at: new Date().toISOString(),
  afterClose: true,
  ...over,
});

describe('a zero report sent after the close', () => {
  it('a report in time mails nobody', async () => {
    await acts.recordZeroReport(report({ cellId: 'L3:a-f1-c2', afterClose: false, none: true }));
    expect(await lateMails()).toHaveLength(0);
  });

  it('reaches the counsellor of the students in its rooms and those told the cell was silent, once', async () => {
    const late = report({
      absent: [{ room: 'A103', name: '张三', note: '未请假' }],
      late: [{ room: 'A104', name: '李四', note: '23:05' }],
    });
    await acts.recordZeroReport(late);
    // The write retried (a worker lost mid-way): nobody gets a second mail.
    await acts.recordZeroReport(late);
    const mails = await lateMails();
    const counsellor = mails.filter((m) => m.to.includes(emailOf('dept-cs')));
    expect(counsellor).toHaveLength(1);
    expect(counsellor[0]?.text).toContain('A103 张三 未请假');
    expect(counsellor[0]?.text).toContain('A104 李四 23:05');
    // Students of another building's department are not theirs to hear of.
    expect(mails.some((m) => m.to.includes(emailOf('dept-me')))).toBe(false);
    // The floor's and building's grid members heard the cell was silent; they hear it reported.
    const told = mails.filter((m) => !m.to.includes(emailOf('dept-cs')));
    expect(told.length).toBeGreaterThan(0);
    for (const m of told) {
      expect(m.to).toHaveLength(1);
      expect(m.text).toContain('A103 张三 未请假');
    }
    expect(new Set(told.map((m) => m.to[0])).size).toBe(told.length);
  });
});

describe('a report the store refuses for good', () => {
  it('fails at once, not retryable, typed for the API to tell the reporter to change it', async () => {
    // Over DynamoDB's 400 KB item: the same write is refused on every attempt.
    const huge = report({
      cellId: 'L3:a-f1-c3',
      afterClose: false,
      late: [{ room: 'A101', note: 'x'.repeat(420_000) }],
    });
    const err: unknown = await acts.recordZeroReport(huge).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as ApplicationFailure).type).toBe(EffectFailure.Invalid);
  });
});
