import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { issueLocalToken } from '../../api/auth.ts';
import type { CaseInput, CaseView } from '../../domain/case-model.ts';
import { checklistFor, type InspectionRound } from '../../domain/inspection.ts';
import { standardItem } from '../../domain/standards/catalogue.ts';
import { getRound } from '../../store/inspections.ts';
import { caseViewQuery } from '../../workflows/rectification-case/messages.ts';
import { inspectionRoundQuery } from '../../workflows/inspection-round/messages.ts';
import { inspectionRounds } from '../../workflows/inspection-round/workflow.ts';
import { settle, useCaseStack } from '../support/case-harness.ts';
import { appDepsFor } from '../support/feedback-harness.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';

// Monday 2017-06-05 08:00 in Shanghai: a week no other test file uses.
const START = new Date('2017-06-05T00:00:00.000Z');
const DAY = 86_400_000;
const DATES = [
  '2017-06-05',
  '2017-06-06',
  '2017-06-07',
  '2017-06-08',
  '2017-06-09',
  '2017-06-10',
  '2017-06-11',
];

const stack = useCaseStack({ startAt: START });

describe('inspection rounds (日检、周查、月评)', () => {
  it('runs a week of daily rounds in which a failed item opens a case citing it', async () => {
    const deps = appDepsFor(stack.deps, stack.env.client);
    const app = createApp(deps);
    const store = { ddb: stack.deps.ddb, tables: stack.deps.tables };
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
    const daily = checklistFor('daily').map((i) => i.id);
    const allPass = daily.map((itemId) => ({ itemId, result: 'pass' as const }));

    await stack.withWorker(async (taskQueue) => {
      const roundIds: string[] = [];
      for (const [d, date] of DATES.entries()) {
        await stack.advanceTo(START.getTime() + d * DAY + 60_000);
        const run = await stack.env.client.workflow.start(inspectionRounds, {
          taskQueue,
          workflowId: uniqueId('rounds'),
          args: [{ kind: 'daily', buildingIds: ['bldg-a'] }],
        });
        expect(run.workflowId).toMatch(/^rounds-/);
        const id = `inspection.daily.bldg-a.${date}`;
        roundIds.push(id);
        for (let i = 0; i < 300 && !(await getRound(store, id)); i++)
          await new Promise((r) => setTimeout(r, 100));
        const round = stack.env.client.workflow.getHandle(id);
        const open = await round.query(inspectionRoundQuery);
        expect(open.assigneeIds).toEqual(['sup-wang', 'sup-smith']);
        expect(open.checklist).toEqual(daily);

        if (date === '2017-06-11') {
          // Refusals: an item off the checklist, a failure without a note, a supervisor of another building.
          const sun = id;
          expect(
            (
              await call('sup-wang', 'POST', `/api/inspections/${sun}/results`, {
                results: [{ itemId: '6t.feedback.4', result: 'pass' }],
                finish: false,
              })
            ).status,
          ).toBe(422);
          expect(
            (
              await call('sup-wang', 'POST', `/api/inspections/${sun}/results`, {
                results: [{ itemId: '6t.safety.1', result: 'fail' }],
              })
            ).status,
          ).toBe(400);
          expect(
            (await call('sup-li', 'POST', `/api/inspections/${sun}/results`, { results: allPass })).status,
          ).toBe(403);
        }
        if (date === '2017-06-10') continue; // Saturday's round is never walked.
        const results =
          date === '2017-06-07'
            ? allPass.map((r) =>
                r.itemId === '6t.safety.1'
                  ? {
                      itemId: r.itemId,
                      result: 'fail' as const,
                      note: '二楼消防通道堆放杂物',
                      floorId: 'a-f1',
                      roomId: 'A103',
                      photos: ['inspections/2017-06-07/a103.jpg'],
                    }
                  : r.itemId === '6t.service.1'
                    ? { itemId: r.itemId, result: 'na' as const }
                    : r,
              )
            : allPass;
        if (date === '2017-06-11') {
          // Sunday's round is walked on the mobile checklist page: its form posts back to the page.
          const form = new URLSearchParams(
            results.map((r): [string, string] => [`${r.itemId}.result`, r.result]),
          );
          form.set('6t.safety.2.note', '走廊通畅');
          // The page's "submit and finish" button (the other one saves the progress).
          form.set('finish', 'true');
          const token = await issueLocalToken(deps.jwtSecret ?? '', 'sup-smith');
          const posted = await app.request(`/inspection/${id}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: form.toString(),
          });
          expect(posted.status).toBe(303);
          const done = await getRound(store, id);
          expect(done?.status).toBe('completed');
          expect(done?.results.find((r) => r.itemId === '6t.safety.2')).toMatchObject({
            note: '走廊通畅',
            by: 'sup-smith',
          });
          continue;
        }
        const res = await call('sup-wang', 'POST', `/api/inspections/${id}/results`, { results });
        expect(res.status).toBe(200);
        expect((res.body as InspectionRound).status).toBe('completed');
      }

      // Wednesday's failure opened a case that cites the item, under its SLA, with the place and note.
      const wed = await getRound(store, roundIds[2] ?? '');
      const caseId = wed?.cases['6t.safety.1'];
      expect(caseId).toMatch(/^ZG-2017-\d+$/);
      const view: CaseView = await stack.env.client.workflow.getHandle(caseId ?? '').query(caseViewQuery);
      const item = standardItem('6t.safety.1');
      expect(view).toMatchObject({
        source: 'inspection',
        category: '6t.safety.1',
        severity: item?.severity,
        location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A103' },
        sla: { ruleId: item?.slaRuleId },
      });
      expect(view.description).toContain('二楼消防通道堆放杂物');
      expect(view.description).toContain('inspections/2017-06-07/a103.jpg');
      expect(view.title).toContain('安全 1 消防管理');
      // It pinned the calendar in force (this worker's: the official data alone) and so counts
      // its deadlines in the workflow: no local activity's marker in its history.
      const { events } = await stack.env.client.workflow.getHandle(caseId ?? '').fetchHistory();
      const started = events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
      const pinned = (JSON.parse(Buffer.from(started ?? []).toString('utf8')) as CaseInput).calendar;
      expect(pinned?.overrides).toEqual({});
      expect(pinned?.official.years).toEqual([2017, 2018]);
      expect(pinned?.official.holidays).toContain('2017-10-01');
      const markers = events?.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
      // Three markers: transition-effects (every earlier patch), pinned-calendar and detected-cites-report.
      expect(markers).toEqual(['core_patch', 'core_patch', 'core_patch']);
      const safety = wed?.scores.find((s) => s.dimension === 'safety');
      expect(safety?.failed).toBe(1);
      expect(wed?.scores.find((s) => s.dimension === 'service')?.na).toBe(1);

      // Monday of the next week: Saturday's round was missed; the week's scores are served.
      await stack.advanceTo(START.getTime() + 7 * DAY + 60_000);
      await settle(stack.env.client.workflow.getHandle(roundIds[5] ?? ''));
      expect((await getRound(store, roundIds[5] ?? ''))?.status).toBe('missed');
      const listed = await call(
        'wg-chen',
        'GET',
        '/api/inspections?buildingId=bldg-a&from=2017-06-05&to=2017-06-11',
      );
      expect(listed.status).toBe(200);
      const body = listed.body as {
        rounds: { roundId: string; status: string }[];
        scores: {
          buildingId: string;
          dimension: string;
          passed: number;
          failed: number;
          score: number | null;
        }[];
      };
      expect(body.rounds.map((r) => r.status).sort()).toEqual(
        [...Array(6).fill('completed'), 'missed'].sort(),
      );
      const safetyWeek = body.scores.find((s) => s.dimension === 'safety');
      const perRound = daily.filter((i) => i.startsWith('6t.safety.')).length;
      expect(safetyWeek).toMatchObject({ buildingId: 'bldg-a', passed: 6 * perRound - 1, failed: 1 });
      expect((await call('wg-chen', 'GET', '/api/inspections?from=2017-06-11&to=2017-06-05')).status).toBe(
        400,
      );

      // The catalogue the checklists come from is served whole.
      const std = await call('staff-zhou', 'GET', '/api/standards');
      expect(std.status).toBe(200);
      const dims = (
        std.body as { dimensions: { items: { id: string; item: { zh: string; en: string } }[] }[] }
      ).dimensions;
      expect(dims.flatMap((d) => d.items)).toHaveLength(60);
      expect(dims[0]?.items[0]?.item).toEqual({ zh: '消防管理', en: 'Fire management' });

      // The supervisors were told where each checklist is, and the page renders it.
      const mails = await sentEmails(
        (e) => e.subject.includes('【日检】') && e.subject.includes('2017-06-07'),
      );
      expect(mails.flatMap((m) => m.to)).toHaveLength(2);
      const token = await issueLocalToken(deps.jwtSecret ?? '', 'sup-wang');
      const page = await app.request(`/inspection/${roundIds[2] ?? ''}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`已立案 ${caseId ?? ''}`);
    });
  });
});
