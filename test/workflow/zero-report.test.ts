import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { issueLocalToken } from '../../api/auth.ts';
import type { ZeroBoard } from '../../api/routes/zero-report.tsx';
import { zeroReportActionHandlers } from '../../api/routes/zero-report.tsx';
import { textHash } from '../../domain/link-token.ts';
import type { ZeroReport } from '../../domain/zero-report.ts';
import { checkLink, consumeLink } from '../../store/links.ts';
import { zeroNightQuery } from '../../workflows/zero-report/messages.ts';
import { zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { emailOf, plainClient, settle, useCaseStack } from '../support/case-harness.ts';
import { appDepsFor, linksIn } from '../support/feedback-harness.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';

// 22:10 on Tuesday 2017-05-16 in Shanghai: a night no other test file uses.
const START = new Date('2017-05-16T14:10:00.000Z');
const NIGHT = '2017-05-16';
const CLOSE = Date.parse('2017-05-16T14:40:00.000Z');
const MIN = 60_000;

const stack = useCaseStack({ startAt: START });

describe('the nightly zero report (零报告)', () => {
  it('takes "none" and real reports, escalates the one missing cell and sums up for the departments', async () => {
    const deps = appDepsFor(stack.deps, stack.env.client);
    const app = createApp(deps);
    const call = async (personId: string, method: string, path: string, body?: unknown) => {
      const token = await issueLocalToken(deps.jwtSecret ?? '', personId);
      const res = await app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const report = (personId: string, body: unknown) =>
      call(personId, 'POST', `/api/zero-reports/${NIGHT}`, body);
    const board = async (personId = 'sup-wang') => {
      const r = await call(personId, 'GET', `/api/zero-reports/${NIGHT}`);
      expect(r.status).toBe(200);
      return r.body as ZeroBoard;
    };

    await stack.withWorker(async (taskQueue) => {
      const handle = await stack.env.client.workflow.start(zeroReportNight, {
        taskQueue,
        workflowId: uniqueId('zero'),
        // No night given: the run takes its own start's campus date.
        args: [{}],
      });
      for (let i = 0; i < 300 && (await handle.query(zeroNightQuery)).phase !== 'open'; i++)
        await new Promise((r) => setTimeout(r, 100));
      const state = await handle.query(zeroNightQuery);
      expect(state.night).toBe(NIGHT);
      expect(state.cells).toHaveLength(14);

      // Every grid member was asked, each with a one-click "none" link.
      const asks = await sentEmails((e) => e.subject.includes(`【零报告】${NIGHT}`));
      const asked = asks.flatMap((m) => m.to).sort();
      expect(asked).toHaveLength(14);
      expect(asked).toContain(emailOf(stack.dir, 'grid-a2c2'));
      // The same link in both languages.
      expect(asks.every((m) => new Set(linksIn(m.text)).size === 1)).toBe(true);

      // Refusals are the caller's, in 4xx: no statement, someone else's cell, a non-member.
      expect((await report('grid-a1c1', {})).status).toBe(400);
      expect((await report('grid-a1c1', { none: true, cellId: 'L3:b-f1-c1' })).status).toBe(403);
      expect((await report('staff-zhou', { none: true })).status).toBe(403);

      // One late return in A103; grid-a2c1 reports "none" through their email link.
      const late = await report('grid-a1c1', { late: [{ room: 'A103', name: '张三', note: '23:05 返回' }] });
      expect(late.status).toBe(201);
      expect((late.body as ZeroReport).none).toBe(false);
      const mail = asks.find((m) => m.to.includes(emailOf(stack.dir, 'grid-a2c1')));
      const token = linksIn(mail?.text ?? '')[0] ?? '';
      const linkDeps = { ddb: deps.aws.ddb, tables: deps.aws.tables, keys: deps.signingKeys };
      const check = await checkLink(linkDeps, token);
      if (!check.ok) throw new Error(`link refused: ${check.reason}`);
      const handler = zeroReportActionHandlers(deps)[check.claims.step];
      const shown = await handler?.describe(check.claims);
      expect(shown?.statement.zh).toContain('无晚归');
      const hash = textHash(`${shown?.statement.zh ?? ''}\n${shown?.statement.en ?? ''}`);
      const at = new Date().toISOString();
      expect(await consumeLink(linkDeps, check.claims.tid, { at, textHash: hash })).toBe(true);
      await handler?.perform(check.claims, { at, textHash: hash });

      // Everyone else but grid-a2c2 says "none" from the API.
      const others = state.cells
        .filter((c) => !['L3:a-f1-c1', 'L3:a-f2-c1', 'L3:a-f2-c2'].includes(c.cellId))
        .map((c) => c.memberIds[0] ?? '');
      for (const id of others) expect((await report(id, { none: true })).status).toBe(201);

      const before = await board();
      expect(before.counts).toMatchObject({
        cells: 14,
        reported: 13,
        none: 12,
        missing: 1,
        late: 1,
        absent: 0,
      });
      expect(before.missing).toEqual(['L3:a-f2-c2']);
      expect(before.cells.find((c) => c.cellId === 'L3:a-f2-c1')?.report?.via).toBe('link');

      // 22:40: the silent cell goes to its floor (level 2) and its building (level 1).
      await stack.advanceTo(CLOSE + MIN, handle);
      const escalated = await sentEmails((e) => e.subject.includes(`【零报告未报】${NIGHT}`));
      expect(escalated.flatMap((m) => m.to).sort()).toEqual(
        [emailOf(stack.dir, 'grid-a1'), emailOf(stack.dir, 'grid-a2f')].sort(),
      );
      const after = await board('wg-chen');
      const esc = after.cells.find((c) => c.cellId === 'L3:a-f2-c2')?.escalation;
      expect(esc).toMatchObject({ to: 'grid_l2', toIds: ['grid-a2f', 'grid-a1'] });

      // Level 1's summary reaches each department's counsellor with its own students only.
      const summaries = await sentEmails((e) => e.subject.includes(`【零报告汇总】${NIGHT}`));
      const cs = summaries.find((m) => m.to.includes(emailOf(stack.dir, 'dept-cs')));
      const me = summaries.find((m) => m.to.includes(emailOf(stack.dir, 'dept-me')));
      expect(cs?.text).toContain('A103 张三');
      expect(cs?.text).toContain('晚归 1 人');
      expect(me?.text).toContain('晚归 0 人');
      expect(after.summaries.map((s) => `${s.buildingId}>${s.departmentId}`).sort()).toEqual([
        'bldg-a>cs',
        'bldg-b>me',
      ]);

      // A late report is still taken, and marked as after the close.
      const tardy = await report('grid-a2c2', { none: true });
      expect(tardy.status).toBe(201);
      expect((tardy.body as ZeroReport).afterClose).toBe(true);

      // The page renders the board in Chinese by default.
      const token2 = await issueLocalToken(deps.jwtSecret ?? '', 'sup-wang');
      const page = await app.request(`/zero-report/${NIGHT}`, {
        headers: { authorization: `Bearer ${token2}` },
      });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`${NIGHT} 晚零报告`);

      // After the late window the night is over: reports are refused with 409.
      await stack.advanceTo(CLOSE + 61 * MIN, handle);
      await settle(handle);
      const final = await plainClient(stack.env).getHandle(handle.workflowId).result();
      expect((final as { phase: string }).phase).toBe('done');
      expect((await report('grid-a2c2', { none: true })).status).toBe(409);
    });
  });
});
