import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readChain } from '../../store/audit-chain.ts';
import { listCases } from '../../store/case-lists.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { createActivities } from '../../activities/index.ts';
import { OUTBOX_LEASE_MS, OutboxBusyError, sendOnce } from '../../store/outbox.ts';
import { recordSendEvent, sesEventLedger } from '../../store/mail-ledger.ts';
import { MAIL_REF_TAG, mailRef, refInHtml } from '../../domain/mail-ref.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { createTableInput, tableDefinitions } from '../../store/tables.ts';
import { caseInput } from '../support/case-harness.ts';
import { putCases } from '../support/feedback-harness.ts';
import { demoDirectory, seedDemo, sentEmails, testDeps, uniqueId } from '../support/stack.ts';
import { at, view } from '../support/views.ts';

const deps = testDeps();
const acts = createActivities(deps);

beforeAll(async () => {
  await seedDemo(deps);
});

function minimalView(caseId: string): CaseView {
  return {
    caseId,
    title: '楼道灯不亮 Corridor light out',
    description: 'B 栋 2 层楼道灯不亮',
    source: 'inspection',
    severity: 'routine',
    location: { buildingId: 'bldg-b' },
    assigneeId: 'staff-zhao',
    responsibleId: 'staff-zhao',
    openedBy: 'sup-li',
    openedAt: new Date().toISOString(),
    stage: 'analysing',
    round: 1,
    failedReviews: 0,
    overdue: false,
    sla: { version: '2026.1', ruleId: 'test', label: { zh: '测试', en: 'test' } },
    deadlines: [],
    notices: [],
    signOffs: [],
    rectifications: [],
    reviews: [],
    adjudications: [],
    comments: [],
    timeline: [],
    version: 1,
  };
}

describe('activities against the real local servers', () => {
  it('writes the case record and its audit entry to DynamoDB Local in one step, once', async () => {
    const caseId = uniqueId('ZG-I');
    const view = minimalView(caseId);
    const input = {
      caseId,
      stepId: 'step-1',
      at: view.openedAt,
      actor: { id: 'sup-li' },
      action: 'detected',
      payload: { source: 'inspection' },
      view,
    };
    const first = await acts.recordStep(input);
    const retried = await acts.recordStep(input);
    expect(first).toMatchObject({ seq: 1, duplicate: false });
    expect(retried).toEqual({ seq: 1, hash: first.hash, duplicate: true });
    expect((await getCaseRecord(deps.ddb, deps.tables, caseId))?.stage).toBe('analysing');
    const chain = await readChain(deps.ddb, deps.tables, caseId);
    expect(chain).toHaveLength(1);
    expect(verifyChain(chain, caseId)).toMatchObject({ ok: true });
  });

  it('sends an email through the SES emulator exactly once per outbox key, with a signed link', async () => {
    const caseId = uniqueId('ZG-I');
    const dir = await demoDirectory();
    const staff = dir.people.find((p) => p.id === 'staff-lee');
    const req = {
      caseId,
      title: '宿舍门锁损坏 Broken door lock',
      stage: 'awaiting_signoff',
      round: 1,
      kind: 'signoff_request' as const,
      to: { personIds: ['staff-lee'] },
      link: { step: 'sign_off', action: 'sign_off' },
    };
    const first = await acts.sendCaseEmail(req);
    const again = await acts.sendCaseEmail(req);
    expect(first.sent).toEqual(['staff-lee']);
    expect(again.alreadySent).toEqual(['staff-lee']);
    const mails = await sentEmails((e) => e.subject.includes(caseId));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual([staff?.email]);
    // staff-lee reads English: English first, Chinese beneath.
    expect(mails[0]?.subject.startsWith('[Sign-off needed]')).toBe(true);
    const link = /http:\/\/rectify\.test\/actions\/(v1\.[A-Za-z0-9._-]+)/.exec(mails[0]?.text ?? '')?.[1];
    expect(link).toBeDefined();
    const outbox = await deps.ddb.send(
      new GetItemCommand({
        TableName: deps.tables.ops,
        Key: marshall({ pk: `OUTBOX#${caseId}`, sk: 'awaiting_signoff#1#signoff_request#-#staff-lee' }),
      }),
    );
    expect(unmarshall(outbox.Item ?? {})).toMatchObject({ status: 'sent', to: staff?.email });
    const chain = await readChain(deps.ddb, deps.tables, caseId);
    expect(chain.map((e) => e.action)).toEqual(['email_sent']);
  });

  describe('the outbox lease', () => {
    const mail = (caseId: string) => async () => ({
      to: 'lease-test@demo.edu.cn',
      subject: `【提醒】${caseId} lease`,
      text: 'lease',
      html: '<p>lease</p>',
    });
    const outbox = (caseId: string) => ({ scope: caseId, key: 'rectifying#1#reminder#r1#staff-zhou' });
    const mails = (caseId: string) => sentEmails((e) => e.subject.includes(caseId));
    /** An SES client that runs `before` first, then sends for real. */
    const sesWith = (before: () => Promise<void>) =>
      ({
        send: async (...args: Parameters<SESClient['send']>) => {
          await before();
          return deps.ses.send(...args);
        },
      }) as unknown as SESClient;

    it('a retry while the first attempt is still sending sends nothing; the email goes once', async () => {
      const caseId = uniqueId('ZG-LEASE');
      // SES answers the first attempt slowly (the activity timed out and Temporal retried it).
      let slow!: () => void;
      const slowSes = sesWith(() => new Promise<void>((r) => (slow = r)));
      const first = sendOnce({ ...deps, ses: slowSes }, outbox(caseId), mail(caseId));
      await expect.poll(() => slow, { timeout: 10_000 }).toBeDefined();
      await expect(sendOnce(deps, outbox(caseId), mail(caseId))).rejects.toBeInstanceOf(OutboxBusyError);
      slow();
      expect(await first).toMatchObject({ status: 'sent' });
      expect(await sendOnce(deps, outbox(caseId), mail(caseId))).toMatchObject({ status: 'already_sent' });
      expect(await mails(caseId)).toHaveLength(1);
    });

    it('a slow attempt renews its lease: a retry long past one lease still finds the row held', async () => {
      const caseId = uniqueId('ZG-LEASE');
      const leaseMs = 1_500;
      let slow!: () => void;
      const slowSes = sesWith(() => new Promise<void>((r) => (slow = r)));
      const first = sendOnce({ ...deps, ses: slowSes }, outbox(caseId), mail(caseId), { leaseMs });
      await expect.poll(() => slow, { timeout: 10_000 }).toBeDefined();
      // Three leases later: without the renewals the row would be free and the mail sent twice.
      await new Promise((r) => setTimeout(r, 3 * leaseMs));
      await expect(sendOnce(deps, outbox(caseId), mail(caseId), { leaseMs })).rejects.toBeInstanceOf(
        OutboxBusyError,
      );
      slow();
      expect(await first).toMatchObject({ status: 'sent' });
      expect(await mails(caseId)).toHaveLength(1);
    });

    it('an attempt that died holding the row loses it once the lease lapses: sent once, never lost', async () => {
      const caseId = uniqueId('ZG-LEASE');
      const dying = sesWith(() => Promise.reject(new Error('socket hang up')));
      await expect(sendOnce({ ...deps, ses: dying }, outbox(caseId), mail(caseId))).rejects.toThrow(
        'socket hang up',
      );
      await expect(sendOnce(deps, outbox(caseId), mail(caseId))).rejects.toBeInstanceOf(OutboxBusyError);
      expect(await mails(caseId)).toHaveLength(0);
      // Past the lease, two retries race for the row: one sends; the other is told it is taken,
      // or, when the first was done before it looked (a loaded machine), finds the mail sent.
      const later = () => Date.now() + OUTBOX_LEASE_MS + 1_000;
      const retries = await Promise.allSettled([
        sendOnce(deps, outbox(caseId), mail(caseId), { now: later }),
        sendOnce(deps, outbox(caseId), mail(caseId), { now: later }),
      ]);
      const outcomes = retries.map((r) =>
        r.status === 'fulfilled'
          ? r.value.status
          : r.reason instanceof OutboxBusyError
            ? 'busy'
            : String(r.reason),
      );
      expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== 'sent')).toEqual([expect.stringMatching(/^(busy|already_sent)$/)]);
      expect(await mails(caseId)).toHaveLength(1);
    });

    it('an attempt that SES refused gives the row back at once', async () => {
      const caseId = uniqueId('ZG-LEASE');
      const throttled = sesWith(() =>
        Promise.reject(
          Object.assign(new Error('Maximum sending rate exceeded'), { $metadata: { httpStatusCode: 400 } }),
        ),
      );
      await expect(sendOnce({ ...deps, ses: throttled }, outbox(caseId), mail(caseId))).rejects.toThrow(
        'Maximum sending rate',
      );
      expect(await sendOnce(deps, outbox(caseId), mail(caseId))).toMatchObject({ status: 'sent' });
      expect(await mails(caseId)).toHaveLength(1);
    });

    describe('an attempt that died after the mail service took its mail', () => {
      /** SES takes the mail, then the attempt dies before it can mark the row (a worker SIGKILLed). */
      const diesAfterSending = {
        send: async (...args: Parameters<SESClient['send']>) => {
          await deps.ses.send(...args);
          throw new Error('socket hang up');
        },
      } as unknown as SESClient;
      const later = () => Date.now() + OUTBOX_LEASE_MS + 1_000;

      it('locally the retry finds the mail in the emulator’s mailbox by its ref and sends nothing', async () => {
        const caseId = uniqueId('ZG-LEDGER');
        await expect(
          sendOnce({ ...deps, ses: diesAfterSending }, outbox(caseId), mail(caseId)),
        ).rejects.toThrow('socket hang up');
        expect(await mails(caseId)).toHaveLength(1);
        const retry = await sendOnce(deps, outbox(caseId), mail(caseId), { now: later });
        expect(retry.status).toBe('already_sent');
        expect(retry.messageId).toBeTruthy();
        expect(await mails(caseId)).toHaveLength(1);
        // The row is settled: the next retry does not ask again.
        expect(await sendOnce(deps, outbox(caseId), mail(caseId), { now: later })).toMatchObject({
          status: 'already_sent',
          messageId: retry.messageId,
        });
        // The ref rides in the HTML as a comment, invisible to the reader.
        const [sent] = await mails(caseId);
        expect(refInHtml(sent?.html)).toBe(mailRef(caseId, outbox(caseId).key));
        expect(sent?.text).not.toContain('rectify-mail-ref');
        // A whole document a phone lays out at its own width, not a fragment at 980 px.
        expect(sent?.html).toMatch(/^<!doctype html>.*<meta name="viewport" content="width=device-width/s);
      });

      it('without a ledger (an SMTP relay keeps no record to ask) the mail goes again: at least once', async () => {
        const caseId = uniqueId('ZG-LEDGER');
        const { sentLedger: _none, ...noLedger } = deps;
        await expect(
          sendOnce({ ...noLedger, ses: diesAfterSending }, outbox(caseId), mail(caseId)),
        ).rejects.toThrow('socket hang up');
        expect(await sendOnce(noLedger, outbox(caseId), mail(caseId), { now: later })).toMatchObject({
          status: 'sent',
        });
        expect(await mails(caseId)).toHaveLength(2);
      });

      it('on AWS the retry asks the Send events SES published; until one is recorded it sends again', async () => {
        const ledger = sesEventLedger(deps);
        const sendEvent = (ref: string, messageId: string, eventType = 'Send') => ({
          version: '0',
          source: 'aws.ses',
          'detail-type': 'Email Sent',
          detail: {
            eventType,
            mail: {
              timestamp: '2026-12-05T03:00:00.000Z',
              messageId,
              tags: { 'ses:configuration-set': ['rectify-production-mail'], [MAIL_REF_TAG]: [ref] },
            },
            send: {},
          },
        });
        // The event SES published for the first attempt's mail arrives: the retry sends nothing.
        const caseId = uniqueId('ZG-LEDGER');
        const ref = mailRef(caseId, outbox(caseId).key);
        await expect(
          sendOnce({ ...deps, sentLedger: ledger, ses: diesAfterSending }, outbox(caseId), mail(caseId)),
        ).rejects.toThrow('socket hang up');
        expect(await recordSendEvent(deps, sendEvent(ref, 'ses-message-1'))).toBe(ref);
        // Delivered twice by EventBridge: the same row.
        expect(await recordSendEvent(deps, sendEvent(ref, 'ses-message-1'))).toBe(ref);
        expect(await ledger.wasSent(ref)).toEqual({ messageId: 'ses-message-1' });
        expect(
          await sendOnce({ ...deps, sentLedger: ledger }, outbox(caseId), mail(caseId), { now: later }),
        ).toMatchObject({ status: 'already_sent', messageId: 'ses-message-1' });
        expect(await mails(caseId)).toHaveLength(1);

        // Events that are not an outbox mail's Send are ignored, not errors.
        const other = uniqueId('ZG-LEDGER');
        const otherRef = mailRef(other, outbox(other).key);
        expect(await recordSendEvent(deps, sendEvent(otherRef, 'm2', 'Delivery'))).toBeUndefined();
        expect(
          await recordSendEvent(deps, { source: 'aws.ses', detail: { eventType: 'Send' } }),
        ).toBeUndefined();
        expect(
          await recordSendEvent(deps, {
            ...sendEvent(otherRef, 'm3'),
            detail: { eventType: 'Send', mail: { messageId: 'm3', tags: {} } },
          }),
        ).toBeUndefined();
        expect(await ledger.wasSent(otherRef)).toBeUndefined();
        // No event for the first attempt: the retry sends (at least once, never lost).
        await expect(
          sendOnce({ ...deps, sentLedger: ledger, ses: diesAfterSending }, outbox(other), mail(other)),
        ).rejects.toThrow('socket hang up');
        expect(
          await sendOnce({ ...deps, sentLedger: ledger }, outbox(other), mail(other), { now: later }),
        ).toMatchObject({ status: 'sent' });
        expect(await mails(other)).toHaveLength(2);
      });
    });
  });

  it('computes a working-day deadline across National Day 2026 as a recorded activity result', async () => {
    const plan = await acts.planDeadline({
      start: '2026-09-25T02:00:00.000Z',
      duration: { unit: 'working_days', amount: 15 },
      timeZone: 'Asia/Shanghai',
      fractions: [0.5, 0.9],
    });
    expect(plan.due).toBe('2026-10-22T10:00:00.000Z');
    expect(plan.approximate).toBe(false);
    expect(plan.reminders).toHaveLength(2);
    const input = caseInput(await demoDirectory(), new Date('2026-09-25T02:00:00Z'), {
      source: 'evaluation',
    });
    expect(input.policy.stageDurations.rectifying).toEqual({ unit: 'working_days', amount: 15 });
  });
});

describe('tables from an earlier version', () => {
  it('gets the indexes added since, and keeps its items', async () => {
    const suffix = uniqueId('upgrade').toLowerCase();
    const names = {
      cases: `old-cases-${suffix}`,
      audit: `old-audit-${suffix}`,
      directory: `old-directory-${suffix}`,
      ops: `old-ops-${suffix}`,
    };
    // The cases table as it was before byResponsible existed, with one item in it.
    const before = createTableInput(tableDefinitions.cases, names.cases);
    before.GlobalSecondaryIndexes = before.GlobalSecondaryIndexes?.filter(
      (i) => i.IndexName !== 'byResponsible',
    );
    before.AttributeDefinitions = before.AttributeDefinitions?.filter(
      (a) => a.AttributeName !== 'responsibleId',
    );
    await deps.ddb.send(new CreateTableCommand(before));
    await deps.ddb.send(
      new PutItemCommand({
        TableName: names.cases,
        Item: marshall({ caseId: 'ZG-2026-000001', title: 'kept' }),
      }),
    );

    const added = await ensureTables(deps.ddb, names);
    expect(added).toEqual([`${names.cases}.byResponsible`, names.audit, names.directory, names.ops]);
    const table = (await deps.ddb.send(new DescribeTableCommand({ TableName: names.cases }))).Table;
    expect(table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      tableDefinitions.cases.indexes.map((i) => i.name).sort(),
    );
    const kept = await deps.ddb.send(
      new GetItemCommand({ TableName: names.cases, Key: marshall({ caseId: 'ZG-2026-000001' }) }),
    );
    expect(kept.Item && unmarshall(kept.Item).title).toBe('kept');
    // A second start finds nothing to add.
    expect(await ensureTables(deps.ddb, names)).toEqual([]);
  });
});

describe("a staff member's merged list (assignee and responsible indexes)", () => {
  it('pages through a selective filter without skipping the other index’s newer cases', async () => {
    const who = uniqueId('staff-merge');
    const base = '2031-03-01T00:00:00.000Z';
    // Many older cases assigned to them that the filter leaves out: enough to use up a page's
    // read budget on the assignee index alone...
    const assigned = Array.from({ length: 70 }, (_, i) =>
      view({
        caseId: `${who}-a${i}`,
        openedAt: at(base, i),
        stage: 'analysing',
        assigneeId: who,
        responsibleId: 'staff-zhou',
      }),
    );
    // ...and newer ones they are responsible for that it keeps.
    const responsible = Array.from({ length: 3 }, (_, i) =>
      view({
        caseId: `${who}-r${i}`,
        openedAt: at(base, 100 + i),
        stage: 'reviewing',
        assigneeId: 'staff-sun',
        responsibleId: who,
      }),
    );
    await putCases(deps, [...assigned, ...responsible]);

    for (const limit of [1, 2, 100]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 200; n++) {
        const page = await listCases(deps.ddb, deps.tables, {
          filters: { partyId: who, stage: 'reviewing' },
          limit,
          cursor,
        });
        seen.push(...page.items.map((v) => v.caseId));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen, `limit ${limit}`).toEqual(responsible.map((v) => v.caseId).reverse());
    }
  });
});
