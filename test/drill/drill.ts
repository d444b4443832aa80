import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyCase } from '../../audit/verify.ts';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { readChain } from '../../store/audit-chain.ts';
import { opsPartition } from '../../store/keys.ts';
import type { AwsDeps } from '../../store/clients.ts';
import {
  CaseDriver,
  STEPS,
  mailKey,
  mailbox,
  mailsOf,
  sleep,
  type Endpoints,
  type StepName,
} from './case-script.ts';
import { decidedSteps, type DecidedStep } from './acknowledged.ts';
import { NpmStart, SplitStack } from './stacks.ts';

/**
 * The crash drill (issue 11): scripted cases driven through the HTTP API and the email link
 * while something dies at a random point of a random step: the worker (SIGKILL), the Temporal
 * dev server and DynamoDB Local together (SIGKILL, started again on their files), or the whole
 * `npm start` (SIGKILL, started again). After each run the case must be at the stage a run
 * without a crash reaches, hold the same mails (each exactly once) and the same audit trail
 * (actions in the same order, the chain verified: no gap, no duplicate).
 */
export type Fault = 'none' | 'worker kill' | 'server restart' | 'npm start kill';

export interface RunResult {
  fault: Fault;
  caseId: string;
  step: StepName | '-';
  delayMs: number;
  ok: boolean;
  problems: string[];
  seconds: number;
  /** Mails of the case whose attempt died after the mail service took them, found in its record and not sent again. */
  fromLedger: number;
  /** Step records the store acknowledged and then lost in the crash (DynamoDB Local's defect): "action (step id)". */
  storeLost?: string[];
}

export interface DrillCounts {
  workerKills: number;
  serverRestarts: number;
  startKills: number;
}

/** Where to strike instead of at random: to run one failure again (`DRILL_STEP`, `DRILL_DELAY_MS`). */
export interface DrillAim {
  step?: StepName;
  delayMs?: number;
}

export interface DrillReport {
  runs: RunResult[];
  baseline: Outcome;
  /** Seconds from the SIGKILL of npm start until the next one was ready, one per kill. */
  restartSeconds: number[];
  seconds: number;
}

interface Outcome {
  stage: string;
  mails: string[];
  actions: string[];
  /** The email_sent entries as "kind → recipient", sorted. */
  mailEntries: string[];
  /** Outbox rows settled from the mail service's record (store/mail-ledger.ts). */
  fromLedger: number;
}

// A case's mail runs on a queue of its own, after the step that sends it: its email_sent entry
// may land before or after the next step's entries, with or without a crash. The steps' own
// entries keep their order; the email_sent entries are compared as a multiset.
const EMAIL_SENT = 'email_sent';
const stepActions = (actions: string[]) => actions.filter((a) => a !== EMAIL_SENT);

async function outcomeOf(
  driver: CaseDriver,
  ep: Endpoints,
  aws: AwsDeps,
  caseId: string,
): Promise<Outcome & { chainOk: boolean; chainDetail: string; seqs: number[] }> {
  const view = await driver.view(caseId);
  const mails = mailsOf(await mailbox(ep.sesUrl), caseId)
    .map((m) => mailKey(m, caseId))
    .sort();
  const entries = await readChain(aws.ddb, aws.tables, caseId);
  const verified = await verifyCase(aws, caseId, { hasRecord: true });
  const outbox = await aws.ddb.send(
    new QueryCommand({
      TableName: aws.tables.ops,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': opsPartition.outbox(caseId) }),
      ConsistentRead: true,
    }),
  );
  return {
    fromLedger: (outbox.Items ?? []).filter((i) => unmarshall(i).reconciled === true).length,
    stage: view.stage,
    mails,
    actions: entries.map((e) => e.action),
    mailEntries: entries
      .filter((e) => e.action === EMAIL_SENT)
      .map((e) => {
        // Stored as payloadForStorage left it: the payload itself under `payload`.
        const p = (e.payload as { payload?: { kind?: unknown; to?: unknown } } | null)?.payload;
        return `${String(p?.kind)} → ${String(p?.to)}`;
      })
      .sort(),
    seqs: entries.map((e) => e.seq),
    chainOk: verified.ok,
    chainDetail: verified.broken ? `${verified.broken.problem} at seq ${verified.broken.seq}` : '',
  };
}

/** Waits until the case's mails and trail stop changing (effects after the last step are asynchronous). */
async function settled(driver: CaseDriver, ep: Endpoints, aws: AwsDeps, caseId: string, expect?: Outcome) {
  let last = '';
  let stableSince = Date.now();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const o = await outcomeOf(driver, ep, aws, caseId);
    const sig = JSON.stringify([o.stage, o.mails, o.actions]);
    if (sig !== last) {
      last = sig;
      stableSince = Date.now();
    }
    const complete = expect
      ? o.stage === expect.stage &&
        o.mails.length >= expect.mails.length &&
        o.actions.length >= expect.actions.length
      : o.stage === 'closed' || o.stage === 'follow_up';
    // Once complete, a little longer: a duplicate arriving late must be seen.
    if (complete && Date.now() - stableSince > 3_000) return o;
    if (Date.now() > deadline) return o;
    await sleep(500);
  }
}

function compare(o: Awaited<ReturnType<typeof outcomeOf>>, baseline: Outcome): string[] {
  const problems: string[] = [];
  if (o.stage !== baseline.stage) problems.push(`stage ${o.stage}, expected ${baseline.stage}`);
  const counts = (xs: string[]) =>
    xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const got = counts(o.mails);
  const want = counts(baseline.mails);
  for (const k of new Set([...got.keys(), ...want.keys()])) {
    const g = got.get(k) ?? 0;
    const w = want.get(k) ?? 0;
    if (g !== w) problems.push(`mail "${k}": ${g} in the mailbox, expected ${w}`);
  }
  if (!o.chainOk) problems.push(`audit chain does not verify: ${o.chainDetail}`);
  if (o.seqs.some((s, i) => s !== i + 1))
    problems.push(`audit seqs ${o.seqs.join(',')}: a gap or a duplicate`);
  const steps = stepActions(o.actions);
  const wantSteps = stepActions(baseline.actions);
  if (steps.join(' ') !== wantSteps.join(' '))
    problems.push(`audit step entries [${steps.join(', ')}], expected [${wantSteps.join(', ')}]`);
  if (o.mailEntries.join('; ') !== baseline.mailEntries.join('; '))
    problems.push(
      `audit email_sent entries [${o.mailEntries.join('; ')}], expected [${baseline.mailEntries.join('; ')}]`,
    );
  return problems;
}

const STEPS_PROBLEM = 'audit step entries';

/**
 * A run whose trail lacks step entries is checked against the case's workflow history: when the
 * workflow decided exactly the baseline's steps and every one missing was acknowledged by the
 * store (its activity completed) and is gone from it, the store lost them in the crash, which
 * file-backed DynamoDB Local does (test/drill/ddb-durability.ts, docs/reliability.md) and real
 * DynamoDB does not. Such a run is kept apart, not failed; any other shortfall stays a failure,
 * with what the history shows of each missing entry.
 */
async function sortOutStoreLoss(
  problems: string[],
  o: { actions: string[] },
  baseline: Outcome,
  ep: Endpoints,
  aws: AwsDeps,
  caseId: string,
): Promise<{ problems: string[]; storeLost: string[] }> {
  const stepsProblem = problems.find((p) => p.startsWith(STEPS_PROBLEM));
  if (!stepsProblem) return { problems, storeLost: [] };
  let steps: Awaited<ReturnType<typeof decidedSteps>>;
  try {
    steps = await decidedSteps(ep.temporalAddress, aws, caseId);
  } catch (err) {
    return {
      problems: [...problems, `the workflow history could not be read: ${errorText(err)}`],
      storeLost: [],
    };
  }
  const judged = judgeStoreLoss(steps, stepActions(baseline.actions), stepActions(o.actions));
  if (judged.lost) return { problems: problems.filter((p) => p !== stepsProblem), storeLost: judged.lost };
  return {
    problems: problems.map((p) => (p === stepsProblem ? `${p}; ${judged.seen}` : p)),
    storeLost: [],
  };
}

/**
 * Pure: whether the step entries missing from a run's trail are exactly the ones the store
 * acknowledged and lost (`lost`, as "action (step id)"), or what the history shows (`seen`).
 */
export function judgeStoreLoss(
  steps: DecidedStep[],
  baselineSteps: string[],
  gotSteps: string[],
): { lost?: string[]; seen: string } {
  const lost = steps.filter((s) => s.acknowledged && !s.stored);
  const decided = steps.map((s) => s.action);
  const kept = steps.filter((s) => s.stored).map((s) => s.action);
  const missing = steps
    .filter((s) => !s.stored)
    .map(
      (s) =>
        `${s.action} (${s.stepId}) ${s.acknowledged ? 'acknowledged by the store, then lost' : 'not acknowledged: its write has not completed'}`,
    );
  const seen = `the history has [${decided.join(', ')}]${missing.length ? `; not in the table: ${missing.join(', ')}` : ''}`;
  const explained =
    lost.length > 0 &&
    lost.length === missing.length &&
    decided.join(' ') === baselineSteps.join(' ') &&
    kept.join(' ') === gotSteps.join(' ');
  return explained ? { lost: lost.map((s) => `${s.action} (${s.stepId})`), seen } : { seen };
}

// One title for every run: it is in the mails' subjects, which are compared with the baseline's.
const CASE_TITLE = 'crash drill case';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

async function runCase(
  driver: CaseDriver,
  title: string,
  fault: { step: StepName; delayMs: number; strike: () => Promise<void> } | undefined,
  say: (line: string) => void,
  opened: (caseId: string) => void = () => {},
): Promise<string> {
  const caseId = await driver.open(title);
  opened(caseId);
  for (const step of STEPS) {
    if (fault?.step !== step) {
      await driver.step(caseId, step);
      continue;
    }
    let struck: Promise<void> | undefined;
    await driver.step(caseId, step, () => {
      struck = sleep(fault.delayMs).then(fault.strike);
      // Awaited below, once the step has landed; a failed strike fails the run there.
      struck.catch(() => undefined);
    });
    await struck;
    say(`  ${caseId}: struck ${fault.delayMs} ms into "${step}"`);
  }
  return caseId;
}

export async function runDrill(
  counts: DrillCounts,
  say: (line: string) => void,
  aim: DrillAim = {},
): Promise<DrillReport> {
  // Most steps take a few hundred ms to a second or two here: strike anywhere in that span.
  const strikePoint = () => ({
    step: aim.step ?? pick(STEPS),
    delayMs: aim.delayMs ?? Math.floor(Math.random() * 1500),
  });
  const t0 = Date.now();
  const runs: RunResult[] = [];
  const restartSeconds: number[] = [];
  const dirs: string[] = [];
  const newDir = (p: string) => {
    const d = mkdtempSync(path.join(tmpdir(), `rectify-drill-${p}-`));
    dirs.push(d);
    return d;
  };
  const split = new SplitStack(newDir('split'), say);
  // npm start boots (half a minute or more here) while the split stack runs its cases.
  const app = counts.startKills > 0 ? new NpmStart(newDir('start')) : undefined;
  if (app) say('starting npm start on its own ports and data folder…');
  const appReady = app?.start();
  appReady?.catch(() => undefined);
  let baseline: Outcome | undefined;
  const record = (r: RunResult) => {
    runs.push(r);
    const n = runs.filter((x) => x.fault === r.fault).length;
    const okCount = runs.filter((x) => x.fault === r.fault && x.ok).length;
    const lostNote = r.storeLost?.length
      ? `; DynamoDB Local lost the acknowledged ${r.storeLost.join(', ')} in the crash (its defect, not counted)`
      : '';
    say(
      `${r.fault} ${n}: ${r.caseId} ${r.ok ? 'ok' : `FAILED: ${r.problems.join('; ')}`}${lostNote} (${r.seconds.toFixed(1)} s; ${okCount}/${n} ok so far)`,
    );
  };
  try {
    say(
      'starting Temporal, DynamoDB Local (file-backed), the SES emulator, S3, the API and a worker process…',
    );
    await split.start();
    const driver = new CaseDriver(split.endpoints, say);
    const oneSplit = async (fault: Fault) => {
      const { step, delayMs } = strikePoint();
      const t = Date.now();
      let caseId = '?';
      if (baseline) {
        try {
          await oneSplitRun(fault, step, delayMs, t, (id) => (caseId = id));
        } catch (err) {
          record({
            fault,
            caseId,
            step,
            delayMs,
            ok: false,
            problems: [errorText(err)],
            seconds: (Date.now() - t) / 1000,
            fromLedger: 0,
          });
        }
        return;
      }
      await oneSplitRun(fault, step, delayMs, t, (id) => (caseId = id));
    };
    const oneSplitRun = async (
      fault: Fault,
      step: StepName,
      delayMs: number,
      t: number,
      opened: (caseId: string) => void,
    ) => {
      const caseId = await runCase(
        driver,
        CASE_TITLE,
        fault === 'none'
          ? undefined
          : {
              step,
              delayMs,
              strike: () => (fault === 'worker kill' ? split.killWorker() : split.restartServers()),
            },
        say,
        opened,
      );
      const o = await settled(driver, split.endpoints, split.aws, caseId, baseline);
      if (!baseline) {
        baseline = {
          stage: o.stage,
          mails: o.mails,
          actions: o.actions,
          mailEntries: o.mailEntries,
          fromLedger: 0,
        };
        const problems = o.chainOk ? [] : [`audit chain does not verify: ${o.chainDetail}`];
        // Every later case's mail entries are compared with these: each must name its kind and recipient.
        if (o.mailEntries.length === 0 || o.mailEntries.some((m) => m.includes('undefined')))
          problems.push(
            `the baseline's email_sent entries do not name kind and recipient: ${o.mailEntries.join('; ')}`,
          );
        // The history reading that sorts out a store's loss must see the baseline as it is: every
        // step decided, acknowledged and stored, in the trail's order.
        const steps = await decidedSteps(split.endpoints.temporalAddress, split.aws, caseId);
        const unsound = steps.filter((s) => !s.acknowledged || !s.stored);
        if (steps.map((s) => s.action).join(' ') !== stepActions(o.actions).join(' ') || unsound.length)
          problems.push(
            `the baseline's history reads [${steps.map((s) => `${s.action}${s.acknowledged ? '' : ' unacknowledged'}${s.stored ? '' : ' unstored'}`).join(', ')}], its trail [${stepActions(o.actions).join(', ')}]`,
          );
        record({
          fault,
          caseId,
          step: '-',
          delayMs: 0,
          ok: problems.length === 0,
          problems,
          seconds: (Date.now() - t) / 1000,
          fromLedger: o.fromLedger,
        });
        say(
          `baseline: stage ${o.stage}, ${o.mails.length} mails, ${o.actions.length} audit entries (${o.actions.join(', ')}); mail entries ${o.mailEntries.join('; ')}`,
        );
        return;
      }
      const { problems, storeLost } = await sortOutStoreLoss(
        compare(o, baseline),
        o,
        baseline,
        split.endpoints,
        split.aws,
        caseId,
      );
      record({
        fault,
        caseId,
        step,
        delayMs,
        ok: problems.length === 0,
        problems,
        seconds: (Date.now() - t) / 1000,
        fromLedger: o.fromLedger,
        storeLost,
      });
    };
    await oneSplit('none');
    for (let i = 1; i <= counts.workerKills; i++) await oneSplit('worker kill');
    for (let i = 1; i <= counts.serverRestarts; i++) await oneSplit('server restart');
  } catch (err) {
    await appReady?.catch(() => undefined);
    await app?.stop();
    throw err;
  } finally {
    await split.stop();
  }

  if (app && baseline) {
    try {
      await appReady;
      for (let i = 1; i <= counts.startKills; i++) {
        const driver = new CaseDriver(app.endpoints, say);
        const { step, delayMs } = strikePoint();
        const t = Date.now();
        let caseId = '?';
        const problems: string[] = [];
        let fromLedger = 0;
        let storeLost: string[] = [];
        try {
          caseId = await runCase(
            driver,
            CASE_TITLE,
            {
              step,
              delayMs,
              strike: async () => {
                await app.kill();
                // A start that fails after the crash is this run's failure; the drill goes on with another.
                for (let attempt = 1; ; attempt++) {
                  try {
                    restartSeconds.push((await app.start()) / 1000);
                    break;
                  } catch (err) {
                    problems.push(
                      `npm start after the SIGKILL failed: ${errorText(err).split('\n').slice(-3).join(' / ')}`,
                    );
                    if (attempt >= 3) throw err;
                  }
                }
                driver.endpoints = app.endpoints;
              },
            },
            say,
          );
          const o = await settled(driver, app.endpoints, app.aws, caseId, baseline);
          fromLedger = o.fromLedger;
          const sorted = await sortOutStoreLoss(
            compare(o, baseline),
            o,
            baseline,
            app.endpoints,
            app.aws,
            caseId,
          );
          problems.push(...sorted.problems);
          storeLost = sorted.storeLost;
        } catch (err) {
          problems.push(errorText(err));
        }
        record({
          fault: 'npm start kill',
          caseId,
          step,
          delayMs,
          ok: problems.length === 0,
          problems,
          seconds: (Date.now() - t) / 1000,
          fromLedger,
          storeLost,
        });
      }
    } finally {
      await app.stop();
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (!baseline) throw new Error('the baseline case did not finish');
  return { runs, baseline, restartSeconds, seconds: (Date.now() - t0) / 1000 };
}

/** One line per kind: "worker kill 100/100". */
export function summary(report: DrillReport): string[] {
  const kinds: Fault[] = ['worker kill', 'server restart', 'npm start kill'];
  const fromLedger = report.runs.reduce((n, r) => n + r.fromLedger, 0);
  return [
    ...kinds.map((k) => {
      const rs = report.runs.filter((r) => r.fault === k);
      return rs.length ? `${k}: ${rs.filter((r) => r.ok).length}/${rs.length} correct` : '';
    }),
    // How often a strike hit the window between the mail service taking a mail and the outbox marking it.
    `mails found in the mail service's record after their attempt died, not sent again: ${fromLedger}`,
    ...report.runs
      .filter((r) => r.storeLost?.length)
      .map(
        (r) =>
          `${r.fault} ${r.caseId}: DynamoDB Local lost ${r.storeLost?.join(', ')} after acknowledging it (the emulator's defect; the rest of the run checked)`,
      ),
  ].filter(Boolean);
}
