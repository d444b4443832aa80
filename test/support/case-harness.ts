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

/** A time-skipping Temporal test server of this file's own (its clock is global, so never shared). */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('stack').timeSkippingServer } },
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
