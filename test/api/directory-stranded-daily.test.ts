import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFeedbackActivities } from '../../activities/feedback.ts';
import { appendAudit } from '../../store/audit-chain.ts';
import { currentSnapshot, saveDirectory } from '../../store/directory.ts';
import { loadTold } from '../../store/directory-told.ts';
import { claimStrandedLook } from '../../store/stranded-looks.ts';
import * as stranded from '../../store/stranded-notices.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { testView } from '../support/audit-fixtures.ts';
import {
  demoDirectory,
  ownTables,
  sentEmails,
  testDeps,
  testEnv,
  uniqueCaseNumber,
  uniqueId,
} from '../support/stack.ts';

// The catch-up as it is, wrapped so one test can make it fail.
vi.mock(import('../../store/stranded-notices.ts'), async (original) => {
  const m = await original();
  return { ...m, catchUpStranded: vi.fn(m.catchUpStranded) };
});

/**
 * A directory save whose stranded-cases mail never went (the process died after the save) is
 * told by the morning brief's activity, with no admin opening the directory page: each reader
 * once, however often the activity runs. Own tables; the SES emulator's mailbox is shared, so
 * mails are told apart by the case number each names.
 */
const env = testEnv(ownTables(uniqueId('dirdaily')));
const deps = testDeps(env);
const { sendDailyBriefs } = createFeedbackActivities(deps);
const brief = (date: string) => sendDailyBriefs({ date, timeZone: env.CAMPUS_TZ, lookbackDays: 7 });

const strandedMails = (caseId: string) =>
  sentEmails((e) => e.subject.includes('【请改派】') && e.text.includes(caseId));

beforeAll(async () => {
  await ensureTables(deps.ddb, deps.tables);
});
beforeEach(async () => {
  await saveDirectory(deps.ddb, deps.tables, await demoDirectory());
});

describe('the morning brief’s activity', () => {
  it('tells the supervisors of a save whose mail never went, once per reader, however often it runs, a look’s claim notwithstanding', async () => {
    const caseId = uniqueCaseNumber();
    await appendAudit(deps.ddb, deps.tables, {
      caseId,
      stepId: 'step-1',
      at: new Date().toISOString(),
      actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
      action: 'detected',
      payload: {},
      view: { ...testView(caseId), stage: 'analysing' },
    });
    const demo = await demoDirectory();
    // As the apply saves it, with nothing after the save: the process gone before the mail, and
    // no admin opens the directory page or asks GET /api/directory/removed.
    await saveDirectory(
      deps.ddb,
      deps.tables,
      { ...demo, people: demo.people.filter((p) => p.id !== 'staff-zhou') },
      undefined,
      { savedBy: 'admin-xu', tellStranded: true },
    );
    const version = (await currentSnapshot(deps.ddb, deps.tables))!.version;
    expect(await strandedMails(caseId)).toHaveLength(0);
    // A look at the directory page claimed the version a moment ago (and failed): the morning's
    // run, once a day, does not leave it to that look.
    expect(await claimStrandedLook(deps, version, { anyway: false })).not.toBeNull();

    await brief('2026-12-08');
    const mails = await strandedMails(caseId);
    // bldg-a's supervisors: 王建国 (zh-CN) and Anna Smith (en), one mail each.
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['anna.smith@demo.edu.cn', 'wang.jianguo@demo.edu.cn']);
    const zh = mails.find((m) => m.to[0] === 'wang.jianguo@demo.edu.cn')!;
    expect(zh.text).toContain(`${caseId}（原因分析）被指派人：周强（已离开名录）`);
    expect(zh.text).toMatch(new RegExp(`名录第 ${version} 版已于 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d 保存`));
    expect((await loadTold(deps.ddb, deps.tables, version))?.buildings.map((b) => b.buildingId)).toEqual([
      'bldg-a',
    ]);

    // A retried or next day's run sends nothing again, even with the told record gone.
    await brief('2026-12-08');
    await brief('2026-12-09');
    await deps.ddb.send(
      new DeleteItemCommand({
        TableName: deps.tables.directory,
        Key: marshall({ kind: 'told', id: `v${String(version).padStart(8, '0')}` }),
      }),
    );
    await brief('2026-12-10');
    expect(await strandedMails(caseId)).toHaveLength(2);
  });

  it('still sends the brief when the catch-up fails', async () => {
    vi.mocked(stranded.catchUpStranded).mockRejectedValueOnce(new Error('directory table unreachable'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const out = await brief('2026-12-11');
      expect(out.sent).toBeGreaterThan(0);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('directory table unreachable'));
    } finally {
      warn.mockRestore();
    }
  });
});
