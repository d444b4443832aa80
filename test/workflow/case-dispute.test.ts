import { describe, expect, it } from 'vitest';
import { readChain } from '../../store/audit-chain.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import {
  caseInput,
  caseMails,
  emailOf,
  mailLog,
  saveHistory,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';

const stack = useCaseStack();

describe('dispute at sign-off and adjudication', () => {
  it('revise: the dispute sends the case back to analysis, and a second sign-off is asked for', async () => {
    const { dir, env, deps } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      await s.rootCause();
      let v = await s.dispute('阀门由物业公司负责，不属于本人职责');
      expect(v.stage).toBe('adjudicating');
      expect(v.signOffs).toMatchObject([{ decision: 'dispute', by: 'staff-zhou', round: 1 }]);
      v = await s.adjudicate('revise', '责任人认定有误，重新分析');
      expect(v.stage).toBe('analysing');
      expect(v.round).toBe(1);
      expect(v.adjudications).toMatchObject([{ decision: 'revise', by: 'sup-wang' }]);
      // A fresh analysis and sign-off, now confirmed.
      await s.rootCause('sup-wang', 'staff-zhou');
      v = await s.confirm();
      expect(v.stage).toBe('rectifying');
      expect(v.deadlines.map((d) => [d.stage, d.state])).toEqual([
        ['analysing', 'met'],
        ['awaiting_signoff', 'met'],
        ['adjudicating', 'met'],
        ['analysing', 'met'],
        ['awaiting_signoff', 'met'],
        ['rectifying', 'pending'],
      ]);
      await s.withdraw('test over');
      await stack.result(handle);

      const zhou = emailOf(dir, 'staff-zhou');
      expect(await mailLog(input.caseId)).toEqual(
        [
          `整改 ${zhou}`,
          `待签字 ${zhou}`, // first sign-off request
          `待签字 ${zhou}`, // second one after the revision: a new stage entry, not a retry
          `待裁定 ${emailOf(dir, 'sup-wang')}`,
          `待裁定 ${emailOf(dir, 'sup-smith')}`,
          `裁定结果 ${zhou}`,
        ].sort(),
      );
      // The second request says the plan was revised after the dispute; the first does not.
      const requests = (await caseMails(input.caseId)).filter((m) => m.tag === '待签字');
      expect(requests.filter((m) => m.subject.includes('修改后的整改方案'))).toHaveLength(1);
      expect(requests.filter((m) => !m.text.includes('修改'))).toHaveLength(1);
      const chain = await readChain(deps.ddb, deps.tables, input.caseId);
      expect(verifyChain(chain, input.caseId)).toMatchObject({ ok: true });
      expect(chain.map((e) => e.action).filter((a) => a !== 'email_sent')).toEqual([
        'detected',
        'assigned',
        'root_cause_submitted',
        'deadline_set',
        'disputed',
        'deadline_set',
        'adjudicated',
        'deadline_set',
        'root_cause_submitted',
        'deadline_set',
        'signed_off',
        'deadline_set',
        'withdrawn',
      ]);
      expect(chain.filter((e) => e.action === 'disputed')[0]?.payload).toMatchObject({
        payload: { reason: '阀门由物业公司负责，不属于本人职责' },
      });
      await saveHistory(handle, 'dispute-revise');
    });
  });

  it('proceed: the dispute is overruled and the case goes on to rectification', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      await s.rootCause();
      await s.dispute('不同意整改方案');
      let v = await s.adjudicate('proceed', '方案合理，按原方案整改');
      expect(v.stage).toBe('rectifying');
      expect(v.adjudications).toMatchObject([{ decision: 'proceed' }]);
      await s.report();
      v = await s.review(true, '复查合格');
      expect(v.stage).toBe('closed');
      await stack.result(handle);
      const mails = await mailLog(input.caseId);
      expect(mails.filter((l) => l.startsWith('待签字'))).toHaveLength(1);
      expect(mails.filter((l) => l.startsWith('裁定结果'))).toEqual([
        `裁定结果 ${emailOf(dir, 'staff-zhou')}`,
      ]);
      await saveHistory(handle, 'dispute-proceed');
    });
  });

  it('the decision reaches who signs and who analyses when they are two people, and says what was decided', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      // staff-zhou is assigned (analyses); staff-zhao answers for the plan and disputes it.
      await s.rootCause('sup-wang', 'staff-zhao');
      await s.dispute('不属于本人职责', 'staff-zhao');
      const v = await s.adjudicate('revise', '请重新分析');
      expect(v.stage).toBe('analysing');
      await s.withdraw('test over');
      await stack.result(handle);
      const told = (await mailLog(input.caseId)).filter((l) => l.startsWith('裁定结果')).sort();
      expect(told).toEqual(
        [`裁定结果 ${emailOf(dir, 'staff-zhao')}`, `裁定结果 ${emailOf(dir, 'staff-zhou')}`].sort(),
      );
      const mail = (await caseMails(input.caseId)).find((m) => m.subject.startsWith('【裁定结果】'));
      expect(mail?.text).toContain('退回重新分析，请重新进行原因分析');
      expect(mail?.text).toContain('裁定意见：请重新分析');
    });
  });
});
