import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createAwsDeps } from '../../store/clients.ts';
import { readDirectoryFile, saveDirectory } from '../../store/directory.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import { buildPolicy } from '../../domain/case-policy.ts';
import type { CaseInput } from '../../domain/case-model.ts';
import { parseEnv } from '../../infra/config.ts';
import { stackVariables, type EphemeralStack } from '../../infra/local/ephemeral.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { bundleWorkflows, createWorker, quietRuntime } from '../../infra/worker.ts';
import {
  openedUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { rectificationCaseV2 } from '../../workflows/rectification-case/workflow.ts';

export interface ThroughputResult {
  cases: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * N cases started and driven to closure (analysis, sign-off, rectification,
 * review) on the real dev server with real DynamoDB Local and SES, with
 * bounded concurrency; latency is start to completion of each case.
 */
export async function benchCaseThroughput(
  stack: EphemeralStack,
  opts: { cases: number; concurrency: number; progress: (line: string) => void },
): Promise<ThroughputResult> {
  const env = parseEnv({
    ...stackVariables(stack),
  });
  const aws = createAwsDeps(env);
  const dir = await readDirectoryFile(`${projectRoot}/infra/local/demo-campus.json`);
  await saveDirectory(aws.ddb, aws.tables, dir);
  const deps: ActivityDeps = {
    ...aws,
    signingKeys: { current: 'b', keys: { b: 'bench-secret-0123456789abcdef0123456789' } },
    publicBaseUrl: 'http://localhost:3000',
    timeZone: env.CAMPUS_TZ,
  };
  const taskQueue = `bench-${Date.now()}`;
  quietRuntime();
  const nativeConnection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    deps,
    bundle: await bundleWorkflows(),
  });
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
  const staff = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };
  const latencies: number[] = [];

  const runOne = async (i: number) => {
    const location = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
    const input: CaseInput = {
      caseId: `ZG-BENCH-${taskQueue}-${i}`,
      title: `bench ${i}`,
      description: 'benchmark case',
      source: 'repair',
      severity: 'routine',
      location,
      assigneeId: 'staff-zhou',
      openedBy: sup,
      openedAt: new Date().toISOString(),
      policy: buildPolicy(
        dir,
        { source: 'repair', severity: 'routine', location },
        { timeZone: env.CAMPUS_TZ },
      ),
    };
    const t0 = performance.now();
    const handle = await client.workflow.start(rectificationCaseV2, {
      taskQueue,
      workflowId: input.caseId,
      args: [input],
    });
    await handle.executeUpdate(openedUpdate, { args: [{}] });
    await handle.executeUpdate(submitRootCauseUpdate, {
      args: [{ actor: sup, causes: ['wear'], responsibleId: 'staff-zhou', plan: 'replace' }],
    });
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: staff, decision: 'confirm' }] });
    await handle.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: staff, summary: 'done', evidence: [] }],
    });
    await handle.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: 'ok' }] });
    await handle.result();
    latencies.push(performance.now() - t0);
  };

  const started = performance.now();
  await worker.runUntil(async () => {
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < opts.cases) {
          const i = next++;
          await runOne(i);
          done++;
          if (done % 10 === 0 || done === opts.cases) opts.progress(`cases completed: ${done}/${opts.cases}`);
        }
      }),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  await connection.close();
  await nativeConnection.close();
  aws.ddb.destroy();
  aws.ses.destroy();
  latencies.sort((a, b) => a - b);
  return {
    cases: opts.cases,
    seconds,
    perSecond: opts.cases / seconds,
    p50ms: percentile(latencies, 50),
    p99ms: percentile(latencies, 99),
  };
}
