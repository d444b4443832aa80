import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../../infra/worker.ts';
import { FINISH_ONCE_PATCH, ITEM_RESULT_WITH_CASE_PATCH } from '../../workflows/inspection-round/workflow.ts';
import { IF_UNREPORTED_PATCH } from '../../workflows/zero-report/workflow.ts';
import { historiesDir, historyFromFile } from '../support/case-harness.ts';
// CommonJS package: Node's ESM loader exposes only its default export.
import protoPkg from '@temporalio/proto';

const { temporal } = protoPkg;
const EventType = temporal.api.enums.v1.EventType;
type History = Awaited<ReturnType<typeof historyFromFile>>;

/**
 * Inspection rounds and zero-report nights recorded by the code before their patched() guards
 * (9b0e2c6): a worker on the current code must carry such a run on, whole or restarted after any
 * workflow task. replay.test.ts replays them whole among every label; this file names the paths
 * and cuts them.
 */
const LABEL = 'v14-rounds-nights';
const dir = path.join(historiesDir, LABEL);
const PATHS: Record<string, string[]> = {
  inspectionRound: [
    'round-daily-all-pass',
    'round-failed-item-opens-case',
    'round-four-finishes-at-once',
    'round-missed',
    'round-post-fails-part-way',
    'round-refusals-then-page-finish',
    'round-results-in-parts',
  ],
  inspectionRounds: ['rounds-run-daily'],
  zeroReportNight: ['night-api-reports-link-replaces-named', 'night-none-link-late-escalated-after-close'],
};

let bundle: WorkflowBundle;
let histories: { name: string; history: History }[];
beforeAll(async () => {
  bundle = await bundleWorkflows();
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  histories = await Promise.all(
    files.map(async (f) => ({
      name: f.replace(/\.json$/, ''),
      history: await historyFromFile(path.join(dir, f)),
    })),
  );
});

const typeOf = (h: History) => h.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
const byName = (name: string) => histories.find((h) => h.name === name)!.history;
const count = (h: History, type: number, activity?: string) =>
  h.events.filter(
    (e) =>
      e.eventType === type &&
      (activity === undefined || e.activityTaskScheduledEventAttributes?.activityType?.name === activity),
  ).length;

const patchIds = (h: History): string[] =>
  h.events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {}))
    .flatMap((p) => (p.payloads ?? []).map((x) => Buffer.from(x.data ?? []).toString('utf8')));

async function replayAll(all: { workflowId: string; history: History }[]) {
  const failures: string[] = [];
  let replayed = 0;
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, all)) {
    replayed += 1;
    if (r.error) failures.push(`${r.workflowId}: ${r.error.name}: ${r.error.message}`);
  }
  return { failures, replayed };
}

describe('replay of inspection rounds and zero-report nights recorded before their patches', () => {
  it('has every path, each of the workflow it names, and none asked a patch', () => {
    expect(histories.map((h) => h.name)).toEqual(Object.values(PATHS).flat().sort());
    for (const [type, names] of Object.entries(PATHS))
      for (const name of names) expect(typeOf(byName(name)), name).toBe(type);
    const ids = [ITEM_RESULT_WITH_CASE_PATCH, FINISH_ONCE_PATCH, IF_UNREPORTED_PATCH];
    for (const h of histories)
      expect(
        patchIds(h.history).filter((p) => ids.some((id) => p.includes(id))),
        h.name,
      ).toEqual([]);
  });

  it('walks the paths the inspection patches change', () => {
    // Four finishes taken at once by the old validator: each saved the round (the patched code
    // makes the three that land on a completed round no-ops, but only with its marker).
    const four = byName('round-four-finishes-at-once');
    expect(count(four, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBe(4);
    expect(count(four, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, 'saveInspectionRound')).toBe(4);
    // A post that opened a case and then failed, with no save between (the patched code saves).
    const partWay = byName('round-post-fails-part-way');
    const events = partWay.events;
    const failed = events.findIndex(
      (e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure !== undefined,
    );
    expect(failed).toBeGreaterThan(0);
    const before = events.slice(0, failed);
    expect(before.some((e) => e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)).toBe(
      true,
    );
    expect(
      before.some(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'saveInspectionRound',
      ),
    ).toBe(false);
  });

  it('replays every one with the current workflow code, whole and cut after every workflow task', async () => {
    const all: { workflowId: string; history: History }[] = [];
    for (const { name, history } of histories) {
      all.push({ workflowId: `${LABEL}/${name}`, history });
      history.events.forEach((e, i) => {
        if (e.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED || i === history.events.length - 1)
          return;
        all.push({
          workflowId: `${LABEL}/${name}@${i + 1}`,
          history: temporal.api.history.v1.History.create({ events: history.events.slice(0, i + 1) }),
        });
      });
    }
    expect(all.length).toBeGreaterThan(histories.length * 5);
    expect(await replayAll(all)).toEqual({ failures: [], replayed: all.length });
  }, 300_000);
});
