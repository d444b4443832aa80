import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readChain } from '../../activities/audit-store.ts';
import { getCaseRecord } from '../../activities/case-store.ts';
import { createActivities } from '../../activities/index.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import { caseInput } from '../support/case-harness.ts';
import { demoDirectory, seedDemo, sentEmails, testDeps, uniqueId } from '../support/stack.ts';

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
