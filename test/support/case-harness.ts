import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities/index.ts';
import { buildPolicy } from '../../domain/case-policy.ts';
import type { Actor, CaseInput, Reporter } from '../../domain/case-model.ts';
import type { Directory, Location } from '../../domain/directory.ts';
import type { Severity, Source } from '../../domain/sla.ts';
import { createWorker } from '../../infra/worker.ts';
import { searchAttributes } from '../../infra/local/servers.ts';
import { temporal } from '@temporalio/proto';
import { rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import { openedUpdate } from '../../workflows/rectification-case/messages.ts';
import { uniqueId } from './stack.ts';

/**
 * A time-skipping Temporal test server of this file's own (its clock is global, so never
 * shared). With `startAt`, its clock starts at that instant instead of the host's now.
 */
export async function timeSkippingEnv(startAt?: Date): Promise<TestWorkflowEnvironment> {
  const executable = startAt ? await serverStartingAt(startAt) : inject('stack').timeSkippingServer;
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: executable } },
  });
  // The test server validates search attributes like a real cluster: register the case's own.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(searchAttributes).map(([name, type]) => [
        name,
        type === 'Bool'
          ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL
          : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return env;
}

export async function caseWorker(
  env: TestWorkflowEnvironment,
  deps: ActivityDeps,
  bundle: WorkflowBundle,
  taskQueue: string,
): Promise<Worker> {
  return createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    deps,
    bundle,
  });
}

export function actorOf(dir: Directory, id: string, via: Actor['via'] = 'api'): Actor {
  const p = dir.people.find((x) => x.id === id);
  if (!p) throw new Error(`no person ${id} in the demo directory`);
  return { id: p.id, roles: p.roles, via };
}

export interface NewCase {
  source?: Source;
  severity?: Severity;
  category?: string;
  location?: Location;
  assigneeId?: string;
  reporter?: Reporter;
  openedBy?: string;
  maxFailedReviews?: number;
}

export function caseInput(dir: Directory, at: Date, c: NewCase = {}): CaseInput {
  const source = c.source ?? 'repair';
  const severity = c.severity ?? 'routine';
  const location = c.location ?? { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
  return {
    caseId: uniqueId('ZG-T'),
    title: '水龙头漏水 Leaking tap',
    description: 'A101 卫生间水龙头持续漏水',
    source,
    severity,
    category: c.category,
    location,
    assigneeId: c.assigneeId ?? 'staff-zhou',
    reporter: c.reporter,
    openedBy: actorOf(dir, c.openedBy ?? 'sup-wang'),
    openedAt: at.toISOString(),
    policy: buildPolicy(
      dir,
      { source, severity, category: c.category, location },
      { timeZone: 'Asia/Shanghai', ...(c.maxFailedReviews ? { maxFailedReviews: c.maxFailedReviews } : {}) },
    ),
  };
}

/** Starts a case and waits until it is open (first deadline set), as the API does before answering 201. */
export async function startCase(env: TestWorkflowEnvironment, taskQueue: string, input: CaseInput) {
  const handle = await env.client.workflow.start(rectificationCase, {
    taskQueue,
    workflowId: input.caseId,
    args: [input],
  });
  const view = await handle.executeUpdate(openedUpdate, { args: [{}] });
  return { handle, view };
}

/**
 * A wrapper script like the stock one (same java, same pinned jars) that launches
 * TestServerAt.java, the test server with its clock set to `startAt`.
 */
async function serverStartingAt(startAt: Date): Promise<string> {
  const stock = await readFile(inject('stack').timeSkippingServer, 'utf8');
  const m = /exec "([^"]+)" .*-cp '([^']+)'/.exec(stock);
  if (!m) throw new Error(`cannot read java and jars from ${inject('stack').timeSkippingServer}`);
  const [, java, jars] = m;
  const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'TestServerAt.java');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rectify-ts-at-'));
  const script = path.join(dir, 'time-skipping-server-at.sh');
  await writeFile(
    script,
    `#!/bin/sh\nexec "${java}" -Xms64m -Xmx512m -cp '${jars}' -Drectify.initialTimeMillis=${startAt.getTime()} '${source}' "$1"\n`,
  );
  await chmod(script, 0o755);
  return script;
}

/** An instant as campus-local wall time, 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
export function shanghai(at: string | number | Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/**
 * Runs an update expected to be refused and returns the refusal's failure type (one of
 * CaseFailure), so tests assert the cause type rather than its wording.
 */
export async function refusalType(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
      return err.cause.type ?? undefined;
    throw err;
  }
  throw new Error('the update was accepted, but a refusal was expected');
}

export const historiesDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'replay',
  'histories',
);

/**
 * When RECORD_HISTORIES names a folder (test/replay/record.ts sets it), writes the
 * workflow's history there as `<name>.json` for the replay test. A no-op otherwise.
 */
export async function saveHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const label = process.env.RECORD_HISTORIES;
  if (!label) return;
  const history = await handle.fetchHistory();
  const dir = path.join(historiesDir, label);
  await mkdir(dir, { recursive: true });
  // The proto3 JSON form `temporal workflow show --output json` writes; historyFromJSON reads it.
  await writeFile(path.join(dir, `${name}.json`), historyToJSON(history) + '\n');
}
