import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { createAwsDeps } from '../../store/clients.ts';
import { readDirectoryFile, saveDirectory } from '../../store/directory.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { weekBounds } from '../../domain/digest.ts';
import type { Person } from '../../domain/directory.ts';
import { parseEnv } from '../../infra/config.ts';
import { stackVariables, type EphemeralStack } from '../../infra/local/ephemeral.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { bundleWorkflows, createWorker, quietRuntime } from '../../infra/worker.ts';
import { weeklyStatusQuery } from '../../workflows/weekly-feedback/messages.ts';
import { weeklyFeedback } from '../../workflows/weekly-feedback/workflow.ts';

export interface FanoutOptions {
  staff: number;
  /** The SES send rate the run is configured with (messages per second). */
  ratePerSecond: number;
  concurrency: number;
  batchSize: number;
  progress: (line: string) => void;
}

export interface FanoutResult {
  staff: number;
  digestEmails: number;
  uniqueRecipients: number;
  duplicates: number;
  seconds: number;
  perSecond: number;
  configuredRate: number;
  historyEvents: number;
}

// A week of its own, far from anything else the stack holds.
const WEEK = '2011-W20';

/**
 * A campus of N staff, one case each in one week: the weekly run builds and
 * emails every digest with bounded concurrency at the configured SES rate.
 * Reports the achieved send rate (never above the configured one), that no
 * one got two emails, and the run's history length.
 */
export async function benchFeedbackFanout(
  stack: EphemeralStack,
  opts: Partial<FanoutOptions> = {},
): Promise<FanoutResult> {
  const o: FanoutOptions = {
    staff: 5_000,
    ratePerSecond: 100,
    concurrency: 8,
    batchSize: 100,
    progress: () => {},
    ...opts,
  };
  const env = parseEnv({
    ...stackVariables(stack),
  });
  const aws = createAwsDeps(env);
  const demo = await readDirectoryFile(`${projectRoot}/infra/local/demo-campus.json`);
  const staff: Person[] = Array.from({ length: o.staff }, (_, i) => ({
    id: `bench-staff-${i}`,
    name: `员工${i}`,
    email: `bench.staff.${i}@demo.edu.cn`,
    roles: ['staff'],
    language: 'zh-CN',
    staffKind: 'cleaner',
  }));
  await saveDirectory(aws.ddb, aws.tables, { ...demo, people: [...demo.people, ...staff] });
  o.progress(`directory with ${o.staff} staff saved; writing ${o.staff} case records…`);

  const monday = Date.parse(weekBounds(WEEK, env.CAMPUS_TZ).from);
  const views: CaseView[] = staff.map((p, i) => {
    const openedAt = new Date(monday + 3_600_000 + i * 60_000).toISOString();
    return {
      caseId: `ZG-BENCH-${i}`,
      title: '公共区域卫生 Common area cleaning',
      description: '',
      source: 'inspection',
      severity: 'routine',
      location: { buildingId: i % 2 ? 'bldg-a' : 'bldg-b' },
      assigneeId: p.id,
      responsibleId: p.id,
      openedBy: 'sup-wang',
      openedAt,
      stage: 'rectifying',
      round: 1,
      failedReviews: 0,
      overdue: false,
      sla: { version: 'bench', ruleId: 'inspection', label: { zh: '', en: '' } },
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
  });
  for (let i = 0; i < views.length; i += 32) {
    await Promise.all(
      views
        .slice(i, i + 32)
        .map((v) =>
          aws.ddb.send(new PutItemCommand({ TableName: aws.tables.cases, Item: caseRecordItem(v) })),
        ),
    );
  }

  const deps: ActivityDeps = {
    ...aws,
    signingKeys: { current: 'b', keys: { b: 'bench-secret-0123456789abcdef0123456789' } },
    publicBaseUrl: 'http://localhost:3000',
    timeZone: env.CAMPUS_TZ,
  };
  quietRuntime();
  const taskQueue = `bench-fanout-${Date.now()}`;
  const [bundle, native, connection] = await Promise.all([
    bundleWorkflows(),
    NativeConnection.connect({ address: stack.temporalAddress }),
    Connection.connect({ address: stack.temporalAddress }),
  ]);
  const worker = await createWorker({ connection: native, namespace: 'default', taskQueue, deps, bundle });
  const client = new Client({ connection });
  try {
    return await worker.runUntil(async () => {
      const started = Date.now();
      const handle = await client.workflow.start(weeklyFeedback, {
        taskQueue,
        workflowId: `bench-weekly-${Date.now()}`,
        args: [
          {
            week: WEEK,
            config: {
              sendRatePerSecond: o.ratePerSecond,
              concurrency: o.concurrency,
              batchSize: o.batchSize,
              lookbackDays: 7,
            },
          },
        ],
      });
      let status = await handle.query(weeklyStatusQuery);
      let lastReport = Date.now();
      while (status.phase === 'build' || status.phase === 'send') {
        await new Promise((r) => setTimeout(r, 500));
        status = await handle.query(weeklyStatusQuery);
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          o.progress(`${status.phase}: ${status.emails.sent} emails sent`);
        }
      }
      const seconds = (Date.now() - started) / 1000;
      const historyEvents = (await handle.describe()).historyLength;
      await handle.terminate('benchmark over');

      const res = await fetch(`${stack.sesEndpoint}/store`);
      const store = (await res.json()) as { emails: { destination: { to: string[] }; subject: string }[] };
      const digests = store.emails.filter((e) => e.subject.includes(WEEK) && e.subject.includes('每周反馈'));
      const unique = new Set(digests.flatMap((e) => e.destination.to));
      return {
        staff: o.staff,
        digestEmails: digests.length,
        uniqueRecipients: unique.size,
        duplicates: digests.length - unique.size,
        seconds,
        perSecond: status.emails.sent / seconds,
        configuredRate: o.ratePerSecond,
        historyEvents,
      };
    });
  } finally {
    await connection.close();
    await native.close();
  }
}
