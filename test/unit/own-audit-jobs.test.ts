import type { Client } from '@temporalio/client';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { recentOwnAuditJobs } from '../../api/audit-job-list.ts';
import { OwnAuditJobs } from '../../api/pages/app/audit-jobs.tsx';
import type { AuditJob, AuditJobDeps } from '../../store/audit-jobs.ts';
import { opsKey } from '../../store/keys.ts';

/**
 * An auditor finds their audit jobs again on /app/audit (GET /app/audit/jobs leads there): listed
 * from the deployment's audit-job workflows, newest first, each row read by its key, theirs only.
 */
const job = (n: number, ownerId: string, status: AuditJob['status']): AuditJob => ({
  jobId: `job_${String(n).padStart(16, '0')}`,
  pool: 'q',
  ownerId,
  kind: n % 2 ? 'verify' : 'period_export',
  params: {},
  status,
  progress: { done: 0, total: null },
  createdAt: new Date(Date.UTC(2026, 11, 1, n)).toISOString(),
  ...(status === 'done' ? { finishedAt: new Date(Date.UTC(2026, 11, 1, n, 5)).toISOString() } : {}),
});
const jobs = [job(1, 'audit-he', 'done'), job(2, 'audit-other', 'running'), job(3, 'audit-he', 'running')];

function fakes(list: () => AsyncIterable<{ workflowId: string }>) {
  const queries: string[] = [];
  const temporal = {
    workflow: {
      list: ({ query }: { query: string }) => {
        queries.push(query);
        return list();
      },
    },
  } as unknown as Client;
  const rows = new Map(jobs.map((j) => [opsKey.auditJob(j.jobId).pk, j]));
  const aws = {
    tables: { ops: 'ops' },
    ddb: {
      send: async (cmd: { input: { Key: Parameters<typeof unmarshall>[0] } }) => {
        const row = rows.get(String(unmarshall(cmd.input.Key).pk));
        return { Item: row ? marshall({ ...opsKey.auditJob(row.jobId), ...row }) : undefined };
      },
    },
  } as unknown as AuditJobDeps;
  return { temporal, aws, queries };
}

describe('my audit jobs', () => {
  it('lists the caller’s own jobs, newest first, from this deployment’s audit-job workflows', async () => {
    const f = fakes(async function* () {
      for (const j of [...jobs].reverse()) yield { workflowId: `audit-job-${j.jobId}` };
      yield { workflowId: 'audit-job-not-a-job' };
    });
    const mine = await recentOwnAuditJobs({ temporal: f.temporal, aws: f.aws, taskQueue: 'q' }, 'audit-he');
    expect(mine?.map((j) => j.jobId)).toEqual([jobs[2]!.jobId, jobs[0]!.jobId]);
    expect(f.queries).toEqual(["WorkflowType = 'auditJob' AND TaskQueue = 'q'"]);

    const html = String(
      await OwnAuditJobs({ jobs: mine, lang: 'zh-CN', timeZone: 'Asia/Shanghai' }).toString(),
    );
    expect(html).toContain('data-own-jobs="2"');
    expect(html).toContain(`<a href="/app/audit/jobs/${jobs[2]!.jobId}">校验全部审计链</a>`);
    expect(html).toMatch(/data-own-job="job_0+3" data-job-status="running"[^]*进行中/);
    expect(html).toMatch(/data-own-job="job_0+1" data-job-status="done"[^]*已完成[^]*结束于/);
    expect(html).not.toContain(jobs[1]!.jobId);
  });

  it('says when there are none, and when they cannot be listed now', async () => {
    const none = fakes(async function* () {});
    expect(await recentOwnAuditJobs({ ...none, taskQueue: 'q' }, 'audit-he')).toEqual([]);
    const down = fakes(() => ({
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(new Error('visibility unavailable')),
      }),
    }));
    expect(await recentOwnAuditJobs({ ...down, taskQueue: 'q' }, 'audit-he')).toBeNull();
    const en = (jobs: AuditJob[] | null) =>
      String(OwnAuditJobs({ jobs, lang: 'en', timeZone: 'Asia/Shanghai' }));
    expect(en([])).toContain('You have no recent audit jobs.');
    expect(en(null)).toContain('cannot be listed just now');
  });
});
