import { DeleteItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { MessageRejected, SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { issueLocalToken } from '../../api/auth.ts';
import { COLUMNS, directoryToTable, tableToCsv } from '../../api/pages/app/admin-import.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { appendAudit } from '../../store/audit-chain.ts';
import { currentSnapshot, saveDirectory } from '../../store/directory.ts';
import { loadTold } from '../../store/directory-told.ts';
import { opsKey } from '../../store/keys.ts';
import { createSession } from '../../store/sessions.ts';
import { testView } from '../support/audit-fixtures.ts';
import { applyFormFields, postImportApply, postImportFile } from '../support/import-apply-form.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory, sentEmails, uniqueCaseNumber } from '../support/stack.ts';

/**
 * A directory save that removes a person holding open cases, or takes the role they act on them
 * with, tells each building's supervisors (as the new directory names them) once, by mail, which
 * of its cases to reassign; the directory page says whom it told. Own tables; the SES emulator's
 * mailbox is shared, so mails are told apart by the case number each names.
 */
const own = appOnOwnTables('dirstranded');
const { env, deps } = own;

let admin: { cookie: string; csrf: string };
beforeEach(async () => {
  await saveDirectory(deps.ddb, deps.tables, await demoDirectory());
  const s = await createSession(deps, { personId: 'admin-xu', via: 'link' });
  admin = { cookie: `rectify_session=${s.id}`, csrf: s.csrfToken };
});
const sesSend = deps.ses.send.bind(deps.ses);
const mailServiceAsUsual = () => {
  deps.ses.send = sesSend;
};
afterEach(() => {
  mailServiceAsUsual();
  vi.restoreAllMocks();
});

const col = (name: (typeof COLUMNS)[number]) => COLUMNS.indexOf(name);
const preview = async (table: string[][], mode: string) => {
  const page = await postImportFile(own.app, admin, tableToCsv(table), { mode });
  expect(page.status).toBe(200);
  return page.html;
};
const adminPage = async (lang = '') =>
  (await own.app.request(`/app/admin/directory${lang}`, { headers: { cookie: admin.cookie } })).text();
const without = async (personId: string) =>
  directoryToTable(await demoDirectory()).filter((r) => !(r[0] === 'person' && r[1] === personId));
const mailsNaming = (caseId: string) => sentEmails((e) => e.text.includes(caseId));
const removedList = async () =>
  (
    await own.app.request('/api/directory/removed', {
      headers: { authorization: `Bearer ${await issueLocalToken(env.JWT_SECRET!, 'admin-xu')}` },
    })
  ).json();
/** The page as a reader sees it: its text, without the markup. */
const pageText = (html: string) => html.replace(/<[^>]+>/g, '');

/**
 * Has the mail service answer each mail naming `caseId` with `answer` (given the address and the
 * way to send it as usual); other mails go as usual. Returns the addresses asked for, in order.
 */
function mailServiceFor(
  caseId: string,
  answer: (to: string, send: () => Promise<unknown>) => Promise<unknown>,
) {
  const send = sesSend as (command: unknown) => Promise<unknown>;
  const asked: string[] = [];
  const fake = (command: unknown): Promise<unknown> => {
    if (!(command instanceof SendEmailCommand) || !command.input.Message?.Body?.Text?.Data?.includes(caseId))
      return send(command);
    const to = command.input.Destination?.ToAddresses?.[0] ?? '';
    asked.push(to);
    return answer(to, () => send(command));
  };
  deps.ses.send = fake as SESClient['send'];
  return asked;
}

/** As when the last look's claim on the version lapsed (some minutes later). */
const claimLapses = (version: number) =>
  deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.ops,
      Key: marshall(opsKey.strandedLook(version)),
      UpdateExpression: 'SET #until = :zero',
      ExpressionAttributeNames: { '#until': 'until' },
      ExpressionAttributeValues: marshall({ ':zero': 0 }),
    }),
  );

/** Applies a replacement of the directory without `personId`; returns the version it saved. */
async function applyWithout(personId: string): Promise<number> {
  const form = applyFormFields(await preview(await without(personId), 'replace'));
  expect((await postImportApply(own.app, admin, form)).status).toBe(303);
  return (await currentSnapshot(deps.ddb, deps.tables))!.version;
}

/** An open case, written as the workflow writes it. */
async function seedCase(caseId: string, view: Partial<CaseView>) {
  await appendAudit(deps.ddb, deps.tables, {
    caseId,
    stepId: 'step-1',
    at: new Date().toISOString(),
    actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
    action: 'detected',
    payload: {},
    view: { ...testView(caseId), ...view },
  });
}

/** The outbox rows of a directory version's mails, in this file's own ops table. */
async function outboxOf(version: number) {
  const out = await deps.ddb.send(
    new QueryCommand({
      TableName: deps.tables.ops,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': `OUTBOX#DIRECTORY#v${version}` }),
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

describe('a directory save that strands open cases', () => {
  it('mails the building’s supervisors once, each in their language, and the page says whom', async () => {
    const caseId = uniqueCaseNumber();
    await seedCase(caseId, {
      stage: 'rectifying',
      deadlines: [
        {
          stage: 'rectifying',
          round: 1,
          startedAt: '2026-12-07T01:00:00.000Z',
          due: '2026-12-10T02:00:00.000Z',
          approximate: false,
          calendarVersion: 'test',
          state: 'pending',
        },
      ],
    });
    const form = applyFormFields(await preview(await without('staff-zhou'), 'replace'));
    const applied = await postImportApply(own.app, admin, form);
    expect(applied.status).toBe(303);
    const version = (await currentSnapshot(deps.ddb, deps.tables))!.version;

    const mails = await mailsNaming(caseId);
    // bldg-a's supervisors in the new directory: 王建国 (zh-CN) and Anna Smith (en).
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['anna.smith@demo.edu.cn', 'wang.jianguo@demo.edu.cn']);
    const zh = mails.find((m) => m.to[0] === 'wang.jianguo@demo.edu.cn')!;
    expect(zh.subject).toMatch(/^【请改派】学生公寓A栋：1 件案件/);
    expect(zh.text).toMatch(/^王建国，您好：/);
    expect(zh.text).toContain(
      `${caseId}（整改中，时限 2026-12-10 10:00）被指派人：周强（已离开名录）；责任人：周强（已离开名录）。`,
    );
    expect(zh.text).toContain(`改派：http://rectify.test/app/cases/${caseId}#reassign-title`);
    expect(zh.html).toContain(`<a href="http://rectify.test/app/cases/${caseId}#reassign-title"`);
    const en = mails.find((m) => m.to[0] === 'anna.smith@demo.edu.cn')!;
    expect(en.subject).toMatch(/^\[Reassign\] Dormitory A: 1 case whose holder/);
    expect(en.text).toMatch(/^Dear Anna Smith,/);
    expect(en.text).toContain(
      `${caseId} (Rectifying, due 2026-12-10 10:00) assignee: 周强 (no longer in the directory)`,
    );

    // The page the apply leads to says whom it told.
    const page = await adminPage();
    expect(page).toContain('data-told');
    expect(page).toMatch(/data-building="bldg-a" data-told-to="sup-wang sup-smith"/);
    expect(page).toContain('已通知主管 王建国（sup-wang）、Anna Smith（sup-smith）（1 件案件）');
    expect(await adminPage('?lang=en')).toContain('told its supervisors');

    // The same form posted again, the page and the list read again: no second mail.
    expect((await postImportApply(own.app, admin, form)).status).toBe(303);
    expect(await removedList()).toMatchObject({
      version,
      told: [
        {
          buildingId: 'bldg-a',
          workingGroup: false,
          recipientIds: ['sup-wang', 'sup-smith'],
          undeliveredIds: [],
          caseIds: [caseId],
        },
      ],
    });
    // Even told again from the start (its record gone, the claim lapsed): the outbox keeps each
    // mail to one.
    await deps.ddb.send(
      new DeleteItemCommand({
        TableName: deps.tables.directory,
        Key: marshall({ kind: 'told', id: `v${String(version).padStart(8, '0')}` }),
      }),
    );
    await claimLapses(version);
    expect(await adminPage()).toContain('data-told');
    expect(await mailsNaming(caseId)).toHaveLength(2);
    expect(await outboxOf(version)).toHaveLength(2);
  });

  it('sends a supervisor of several places one mail, by place, saying which cases are overdue', async () => {
    const overdue = uniqueCaseNumber();
    const inReview = uniqueCaseNumber();
    await seedCase(overdue, {
      stage: 'rectifying',
      deadlines: [
        {
          stage: 'rectifying',
          round: 1,
          startedAt: '2026-12-01T01:00:00.000Z',
          due: '2026-12-04T02:00:00.000Z',
          approximate: false,
          calendarVersion: 'test',
          state: 'breached',
          breachedAt: '2026-12-04T02:00:00.000Z',
        },
      ],
    });
    // Review waits on the supervisors: its reminders still reach someone.
    await seedCase(inReview, { stage: 'reviewing', location: { buildingId: 'area-laundry' } });
    const applied = await postImportApply(
      own.app,
      admin,
      applyFormFields(await preview(await without('staff-zhou'), 'replace')),
    );
    expect(applied.status).toBe(303);
    const version = (await currentSnapshot(deps.ddb, deps.tables))!.version;

    // 王建国 and Anna Smith supervise both places: one mail each, naming both cases.
    const mails = await mailsNaming(overdue);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['anna.smith@demo.edu.cn', 'wang.jianguo@demo.edu.cn']);
    expect(mails.every((m) => m.text.includes(inReview))).toBe(true);
    expect(await mailsNaming(inReview)).toHaveLength(2);
    expect(await outboxOf(version)).toHaveLength(2);
    const zh = mails.find((m) => m.to[0] === 'wang.jianguo@demo.edu.cn')!.text.split('———')[0]!;
    expect(zh).toContain(`${overdue}（整改中，自 2026-12-04 10:00 起超时）`);
    expect(zh).toContain('已超时并在升级，但改派之前仍无人能处理。');
    expect(zh).toContain('当前环节由他人处理');
    // Each case under its own place's heading.
    const laundry = zh.indexOf('公寓洗衣房（');
    const dormA = zh.indexOf('学生公寓A栋（');
    expect(laundry).toBeGreaterThan(0);
    expect(dormA).toBeGreaterThan(laundry);
    expect(zh.indexOf(inReview)).toBeGreaterThan(laundry);
    expect(zh.indexOf(inReview)).toBeLessThan(dormA);
    expect(zh.indexOf(`${overdue}（`)).toBeGreaterThan(dormA);

    // The page still says, per place, whom it told.
    const page = await adminPage();
    expect(page).toMatch(/data-building="bldg-a" data-told-to="sup-wang sup-smith"/);
    expect(page).toMatch(/data-building="area-laundry" data-told-to="sup-wang sup-smith"/);
  });

  it('a save that died before its mail is told by the next look at the directory page', async () => {
    const caseId = uniqueCaseNumber();
    await seedCase(caseId, {
      stage: 'analysing',
      location: { buildingId: 'bldg-b', floorId: 'b-f1' },
      assigneeId: 'staff-wu',
      responsibleId: 'staff-wu',
    });
    const demo = await demoDirectory();
    // As the apply saves it, with nothing after the save: the process gone before the mail.
    await saveDirectory(
      deps.ddb,
      deps.tables,
      {
        ...demo,
        people: demo.people.map((p) => (p.id === 'staff-wu' ? { ...p, roles: ['auditor'] } : p)),
      },
      undefined,
      { savedBy: 'admin-xu', tellStranded: true },
    );
    expect(await mailsNaming(caseId)).toHaveLength(0);
    expect(await adminPage()).toContain('data-told');
    const mails = await mailsNaming(caseId);
    expect(mails.map((m) => m.to[0])).toEqual(['li.xiuying@demo.edu.cn']);
    expect(mails[0]!.text).toContain(`${caseId}（原因分析）被指派人：吴磊（已无处理案件的角色）`);
  });

  it('a building without a supervisor of its own tells the working group', async () => {
    const caseId = uniqueCaseNumber();
    await seedCase(caseId, {
      stage: 'reviewing',
      location: { buildingId: 'bldg-b', floorId: 'b-f1' },
      assigneeId: 'staff-wu',
      responsibleId: 'staff-wu',
    });
    const demo = await demoDirectory();
    // sup-li, bldg-b's only supervisor, is made an auditor along with staff-wu.
    await saveDirectory(
      deps.ddb,
      deps.tables,
      {
        ...demo,
        people: demo.people.map((p) =>
          p.id === 'staff-wu' || p.id === 'sup-li' ? { ...p, roles: ['auditor'] } : p,
        ),
        buildings: demo.buildings.map((b) =>
          b.supervisorIds.includes('sup-li') ? { ...b, supervisorIds: [] } : b,
        ),
      },
      undefined,
      { savedBy: 'admin-xu', tellStranded: true },
    );
    await adminPage();
    const mails = await mailsNaming(caseId);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['chen.ming@demo.edu.cn', 'yang.fan@demo.edu.cn']);
    expect(mails[0]!.text).toContain('学生公寓B栋没有主管，因此通知工作小组。');
  });

  it('mails nobody when the people it removes hold no open case', async () => {
    const t = await without('staff-lee');
    expect(t.some((r) => r[col('kind')] === 'person' && r[col('id')] === 'staff-lee')).toBe(false);
    expect((await postImportApply(own.app, admin, applyFormFields(await preview(t, 'replace')))).status).toBe(
      303,
    );
    const snapshot = (await currentSnapshot(deps.ddb, deps.tables))!;
    expect(snapshot.removedPeople).toEqual(['staff-lee']);
    const page = await adminPage();
    expect(page).not.toContain('data-told');
    expect(page).not.toContain('data-told-pending');
    expect(await outboxOf(snapshot.version)).toHaveLength(0);
  });

  it('names a reader whose mail is refused for good as not reached, and tries that mail no more', async () => {
    const caseId = uniqueCaseNumber();
    await seedCase(caseId, { stage: 'analysing' });
    const asked = mailServiceFor(caseId, (to, send) =>
      to === 'anna.smith@demo.edu.cn'
        ? Promise.reject(
            new MessageRejected({
              message: 'Email address is not verified: anna.smith@demo.edu.cn',
              $metadata: { httpStatusCode: 400 },
            }),
          )
        : send(),
    );
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const version = await applyWithout('staff-zhou');
    expect((await mailsNaming(caseId)).map((m) => m.to[0])).toEqual(['wang.jianguo@demo.edu.cn']);

    const page = await adminPage();
    expect(page).not.toContain('data-told-pending');
    expect(page).toMatch(/data-building="bldg-a" data-told-to="sup-wang" data-undelivered="sup-smith"/);
    expect(pageText(page)).toContain(
      '学生公寓A栋：已通知主管 王建国（sup-wang）；未能送达 Anna Smith（sup-smith）（邮件服务拒收，请核对其邮箱地址并另行告知）（',
    );
    expect(pageText(await adminPage('?lang=en'))).toContain(
      'Dormitory A: told its supervisors 王建国 (sup-wang); could not be delivered to Anna Smith (sup-smith) (the mail service refused it: check their email address and tell them another way) (',
    );
    // Looks after the claim lapsed try neither mail again, and the list names whom it missed.
    await claimLapses(version);
    await adminPage();
    expect(await removedList()).toMatchObject({
      version,
      told: expect.arrayContaining([
        expect.objectContaining({
          buildingId: 'bldg-a',
          recipientIds: ['sup-wang'],
          undeliveredIds: ['sup-smith'],
          caseIds: expect.arrayContaining([caseId]) as unknown,
        }),
      ]) as unknown,
    });
    expect(asked).toEqual(['wang.jianguo@demo.edu.cn', 'anna.smith@demo.edu.cn']);
  });

  it('tries a mail failing for now again once the last look’s claim lapses, not on every look', async () => {
    const caseId = uniqueCaseNumber();
    await seedCase(caseId, { stage: 'analysing' });
    const asked = mailServiceFor(caseId, () =>
      Promise.reject(
        Object.assign(new Error('Maximum sending rate exceeded.'), {
          name: 'Throttling',
          $metadata: { httpStatusCode: 400 },
        }),
      ),
    );
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const version = await applyWithout('staff-zhou');
    expect(asked).toHaveLength(2);
    const page = await adminPage();
    expect(page).toContain('data-told-pending="failed"');
    expect(pageText(page)).toContain('尚未全部发出。3 分钟后打开本页将重试，每天早晨也会自动重试。');
    expect(pageText(await adminPage('?lang=en'))).toContain(
      'has gone yet. Opening this page after 3 minutes tries again, as does every morning’s run.',
    );
    await removedList();
    // Three looks within the claim: none asked the mail service again.
    expect(asked).toHaveLength(2);
    expect(await loadTold(deps.ddb, deps.tables, version)).toBeNull();

    // Lapsed, and the mail service taking mail again: the next look tells the version.
    mailServiceAsUsual();
    await claimLapses(version);
    expect(await adminPage()).toMatch(/data-building="bldg-a" data-told-to="sup-wang sup-smith"/);
    expect((await mailsNaming(caseId)).map((m) => m.to[0]).sort()).toEqual([
      'anna.smith@demo.edu.cn',
      'wang.jianguo@demo.edu.cn',
    ]);
  });

  it('answers the save without waiting on slow mail: the page says it is on its way, and it goes once', async () => {
    const caseId = uniqueCaseNumber();
    await seedCase(caseId, { stage: 'analysing' });
    // Each mail takes the mail service 8 s (a call may take up to 30 s before it is cut off).
    const asked = mailServiceFor(caseId, (_to, send) =>
      new Promise((resolve) => setTimeout(resolve, 8_000)).then(send),
    );
    const started = Date.now();
    const version = await applyWithout('staff-zhou');
    expect(Date.now() - started).toBeLessThan(6_000);

    const page = await adminPage();
    expect(page).toContain('data-told-pending="sending"');
    expect(pageText(page)).toContain(
      '通知相关楼栋主管改派其未结案件的邮件正在发送。稍后刷新本页即可看到已通知了谁。',
    );
    expect(pageText(await adminPage('?lang=en'))).toContain('to reassign them is on its way.');
    // The telling the save started goes on after its answer; the looks meanwhile started none.
    await vi.waitFor(async () => expect(await loadTold(deps.ddb, deps.tables, version)).not.toBeNull(), {
      timeout: 30_000,
      interval: 500,
    });
    expect(await adminPage()).toMatch(/data-building="bldg-a" data-told-to="sup-wang sup-smith"/);
    expect(asked.sort()).toEqual(['anna.smith@demo.edu.cn', 'wang.jianguo@demo.edu.cn']);
    expect(await mailsNaming(caseId)).toHaveLength(2);
  });
});
