import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../../infra/worker.ts';
import { SURVEY_REMINDER_PATCH } from '../../workflows/rectification-case/workflow.ts';
import { LEAN_EFFECTS_PATCH, TRANSITION_EFFECTS_PATCH } from '../../workflows/rectification-case/state.ts';
import { historiesDir, historyFromFile } from '../support/case-harness.ts';
// CommonJS package: Node's ESM loader exposes only its default export.
import protoPkg from '@temporalio/proto';

const { temporal } = protoPkg;
/**
 * The histories recorded after the newest workflow change, and the change before it (cases of
 * that shape may still be running when a worker restarts on the new code), replayed cut at
 * every task too.
 */
const MID_CASE_LABELS = [
  'v8-lean',
  'v9-effects',
  'v10-transitions',
  'v11-typed',
  'v12-pause-holds',
  'v12b-pause-stages',
  'v13-pause-working-time',
  'v15-take-over',
  'v17-report-ends-pause',
  'v18-report-ends-pause-request',
  'v19-failed-saves',
  'v20-calendar-change',
  'v21-detected-report',
  'v22-recount-spares-past',
  'v23-recount-records-unmoved',
  'v24-next-actor-told',
  'v25-signoff-told',
];

// Every committed history (test/replay/histories/<label>/<path>.json, written by
// test/replay/record.ts) must replay against the workflow code as it is now: a change that
// would make a running case fail on its next task fails here first.
let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflows();
});

async function recorded(): Promise<{ label: string; name: string; file: string }[]> {
  const labels = (await readdir(historiesDir, { withFileTypes: true })).filter((d) => d.isDirectory());
  const all = await Promise.all(
    labels.map(async (l) =>
      (await readdir(path.join(historiesDir, l.name)))
        .filter((f) => f.endsWith('.json'))
        .map((f) => ({
          label: l.name,
          name: f.replace(/\.json$/, ''),
          file: path.join(historiesDir, l.name, f),
        })),
    ),
  );
  return all.flat().sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Whether a history took the survey reminder's patched() path: its own marker, or one that
 * stands for every patch before it (LEAN_EFFECTS_PATCH, then TRANSITION_EFFECTS_PATCH).
 */
const usesPatch = (h: Awaited<ReturnType<typeof historyFromFile>>) =>
  [SURVEY_REMINDER_PATCH, LEAN_EFFECTS_PATCH, TRANSITION_EFFECTS_PATCH].some((id) => marksPatch(h, id));

const marksPatch = (h: Awaited<ReturnType<typeof historyFromFile>>, id: string) =>
  (h.events ?? []).some((e) => {
    const m = e.markerRecordedEventAttributes;
    if (m?.markerName !== 'core_patch') return false;
    return Object.values(m.details ?? {}).some((p) =>
      (p.payloads ?? []).some((x) =>
        Buffer.from(x.data ?? [])
          .toString('utf8')
          .includes(`"${id}"`),
      ),
    );
  });

type Replayable = { workflowId: string; history: Awaited<ReturnType<typeof historyFromFile>> };

/** Replays every history; each one that fails is named with its error. */
async function replayAll(histories: Replayable[]): Promise<{ failures: string[]; replayed: number }> {
  const failures: string[] = [];
  let replayed = 0;
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    replayed += 1;
    if (r.error) failures.push(`${r.workflowId}: ${r.error.name}: ${r.error.message}`);
  }
  return { failures, replayed };
}

describe('replay of committed histories', () => {
  it('replays every recorded path with the current workflow code, without nondeterminism', async () => {
    const files = await recorded();
    // The paths issue 3 asks for, recorded before the patched() change (v1).
    expect(files.filter((f) => f.label === 'v1').map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'national-day-escalation',
        'every-stage-reminders',
        'major-leadership-two-notices',
        'dispute-revise',
        'dispute-proceed',
        'review-fail-fail-pass',
        'review-third-failure-escalates',
        'withdraw-while-rectifying',
        'refused-steps',
        'follow-up-low-score-reopens',
        'follow-up-timeout-unrated',
        'worker-restart',
      ]),
    );
    const histories = await Promise.all(
      files.map(async (f) => ({
        workflowId: `${f.label}/${f.name}`,
        history: await historyFromFile(f.file),
      })),
    );
    expect(await replayAll(histories)).toEqual({ failures: [], replayed: files.length });
    // About two minutes with every label so far when other files share the two cores.
  }, 600_000);

  it('replays the newest histories cut after every workflow task, as a worker restarted mid-case does', async () => {
    // A worker that restarts in the middle of a case replays the history so far, not a whole
    // one: a command order that holds for a finished case but not at some task boundary (a
    // local activity and the mail chain trading places) shows only here.
    const files = await recorded();
    const newest = files.filter((f) => MID_CASE_LABELS.includes(f.label));
    expect(newest.length).toBeGreaterThan(5);
    const cuts: Replayable[] = [];
    for (const f of newest) {
      const history = await historyFromFile(f.file);
      const events = history.events ?? [];
      events.forEach((e, i) => {
        if (e.eventType !== temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) return;
        if (i === events.length - 1) return;
        cuts.push({
          workflowId: `${f.label}/${f.name}@${i + 1}`,
          history: temporal.api.history.v1.History.create({ events: events.slice(0, i + 1) }),
        });
      });
    }
    expect(cuts.length).toBeGreaterThan(newest.length * 5);
    expect(await replayAll(cuts)).toEqual({ failures: [], replayed: cuts.length });
    // Some 250 s alone on two cores with every label so far: room for a loaded machine.
  }, 1_200_000); // Minutes on a quiet machine; more when the other stack files share its two cores.

  it('the old follow-up timeout history predates the patch and still replays; a new one takes the patched path', async () => {
    const files = await recorded();
    const old = files.find((f) => f.label === 'v1' && f.name === 'follow-up-timeout-unrated')!;
    const oldHistory = await historyFromFile(old.file);
    expect(usesPatch(oldHistory)).toBe(false);
    await Worker.runReplayHistory({ workflowBundle: bundle }, oldHistory, 'v1/follow-up-timeout-unrated');

    const fresh = files.filter((f) => f.label !== 'v1' && f.name === 'follow-up-timeout-unrated');
    expect(fresh.length).toBeGreaterThan(0);
    for (const f of fresh) {
      const h = await historyFromFile(f.file);
      // A typed case (rectificationCaseV2) takes the patched path by its type, with no marker.
      const typed =
        h.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name === 'rectificationCaseV2';
      expect(usesPatch(h)).toBe(!typed);
      await Worker.runReplayHistory({ workflowBundle: bundle }, h, `${f.label}/${f.name}`);
    }
  }, 120_000);
});
