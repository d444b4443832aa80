import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { readChain } from '../../store/audit-chain.ts';
import { localAt, type CaseExport } from '../../audit/export.ts';
import type { CaseVerification, VerifyEvent } from '../../audit/verify.ts';
import { createAuditActivities } from '../../activities/audit-anchor.ts';
import { issueLocalToken } from '../../api/auth.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import { auditAnchor } from '../../workflows/audit-anchor/workflow.ts';
import { deleteEntry, editEntry, seedCase } from '../support/audit-fixtures.ts';
import { auditAppDeps, auditTestApp } from '../support/audit-app.ts';
import { seedDemo, testDeps, testEnv, uniqueId } from '../support/stack.ts';

// Its own task queue: the witness is the newest anchor run on the deployment's queue.
const env = testEnv({ TEMPORAL_TASK_QUEUE: uniqueId('tq-audit-routes') });
const deps = testDeps(env);
let connection: Connection;
let app: Hono;
const tokens = new Map<string, string>();

async function as(personId: string, path: string, init: RequestInit = {}): Promise<Response> {
  let token = tokens.get(personId);
  if (!token) {
    token = await issueLocalToken(env.JWT_SECRET!, personId);
    tokens.set(personId, token);
  }
  return app.request(path, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
}

beforeAll(async () => {
  await seedDemo(deps);
  connection = await Connection.connect({ address: inject('stack').temporalAddress });
  app = auditTestApp(auditAppDeps(env, deps, new Client({ connection })));
});
afterAll(async () => {
  await connection?.close();
});

describe('who may read the audit trail', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = uniqueId('ZG-SEC');
    await seedCase(deps, caseId, 2);
  });
  const routes = () => [
    `/api/cases/${caseId}/history`,
    `/api/audit/verify?caseId=${caseId}`,
    `/api/cases/${caseId}/export?format=json`,
    `/api/audit/export?from=2019-01-01&to=2019-01-02`,
  ];

  it.each(['audit-he', 'admin-xu', 'wg-chen', 'lead-huang'])('%s reads every audit route', async (who) => {
    for (const path of routes()) expect([path, (await as(who, path)).status]).toEqual([path, 200]);
  });

  it.each(['staff-zhou', 'sup-wang', 'grid-a1', 'dept-cs'])(
    '%s is refused with the rule, in the caller’s language',
    async (who) => {
      for (const path of routes()) {
        const res = await as(who, path);
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(((await res.json()) as { detail: string }).detail).toMatch(
          /审计人员.*须具备以下角色之一：审计人员/,
        );
        const en = await as(who, path, { headers: { 'accept-language': 'en' } });
        expect(((await en.json()) as { detail: string }).detail).toMatch(/auditors.*needs one of: auditor/);
      }
    },
  );

  it('without a token: 401 problem', async () => {
    const res = await app.request(`/api/audit/verify?caseId=${caseId}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="rectify"');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('nobody writes through these routes, auditors included', async () => {
    const before = await readChain(deps.ddb, deps.tables, caseId);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of routes()) {
        const res = await as('audit-he', path, {
          method,
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        // The paths exist for reading only: 405, naming the one method they take.
        expect([method, path, res.status]).toEqual([method, path, 405]);
        expect(res.headers.get('allow')).toBe('GET, HEAD');
      }
    }
    expect(await readChain(deps.ddb, deps.tables, caseId)).toEqual(before);
  });
});

describe('GET /api/audit/verify', () => {
  it('one chain: intact, then tampered with the entry named', async () => {
    const caseId = uniqueId('ZG-VER');
    await seedCase(deps, caseId, 4);
    const ok = (await (
      await as('audit-he', `/api/audit/verify?caseId=${caseId}`)
    ).json()) as CaseVerification;
    expect(ok).toMatchObject({ caseId, ok: true, count: 4, broken: null });

    const stored = await readChain(deps.ddb, deps.tables, caseId);
    await editEntry(deps, caseId, 2, 'payload');
    const res = await as('audit-he', `/api/audit/verify?caseId=${caseId}`);
    expect(res.status).toBe(200);
    const bad = (await res.json()) as CaseVerification;
    expect(bad).toMatchObject({
      ok: false,
      broken: { seq: 2, problem: 'hash_mismatch', found: stored[1]?.hash },
    });
    expect(bad.broken?.expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it("checks the table's newest anchor against the anchor workflow's result in Temporal", async () => {
    const address = inject('stack').temporalAddress;
    const native = await NativeConnection.connect({ address });
    try {
      const taskQueue = env.TEMPORAL_TASK_QUEUE;
      const worker = await Worker.create({
        connection: native,
        taskQueue,
        workflowBundle: await bundleWorkflows(),
        activities: createAuditActivities(deps),
      });
      const client = new Client({ connection });
      const result = await worker.runUntil(
        client.workflow.execute(auditAnchor, { taskQueue, workflowId: uniqueId('audit-anchor'), args: [{}] }),
      );
      // Visibility is eventually consistent: wait until the list query sees the run.
      let start: Extract<VerifyEvent, { type: 'start' }> | undefined;
      for (let i = 0; i < 50; i++) {
        const text = await (await as('audit-he', '/api/audit/verify')).text();
        start = JSON.parse(text.split('\n')[0]!) as Extract<VerifyEvent, { type: 'start' }>;
        if (start.anchor?.witness?.seq === result.seq) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(start?.anchor?.witness).toMatchObject({ seq: result.seq, hash: result.hash, matches: true });
    } finally {
      await native.close();
    }
  });

  it('an unknown case is a 404 problem in the caller language', async () => {
    const res = await as('audit-he', `/api/audit/verify?caseId=ZG-NOPE-1&lang=en`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      'there is no record or audit trail for case ZG-NOPE-1',
    );
  });

  it('every chain: NDJSON with a start, progress, each broken case, and a summary', async () => {
    const good = uniqueId('ZG-ALL-OK');
    const broken = uniqueId('ZG-ALL-BAD');
    await seedCase(deps, good, 2);
    await seedCase(deps, broken, 3);
    await deleteEntry(deps, broken, 2);

    const res = await as('audit-he', '/api/audit/verify?progressEvery=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as VerifyEvent);
    expect(lines[0]?.type).toBe('start');
    const last = lines.at(-1);
    if (last?.type !== 'summary') throw new Error('no summary line');
    const start = lines[0] as Extract<VerifyEvent, { type: 'start' }>;
    expect(last.checked).toBe(start.total);
    const progress = lines.filter((l) => l.type === 'progress') as Extract<
      VerifyEvent,
      { type: 'progress' }
    >[];
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.map((p) => p.checked)).toEqual([...progress.map((p) => p.checked)].sort((a, b) => a - b));
    expect(lines.find((l) => l.type === 'case' && l.caseId === broken)).toMatchObject({
      broken: { seq: 3, problem: 'gap', expected: '2', found: '3' },
    });
    expect(last.broken.find((b) => b.caseId === broken)).toMatchObject({ seq: 3, problem: 'gap' });
    expect(last.broken.some((b) => b.caseId === good)).toBe(false);
    expect(last.ok).toBe(false);
  });
});

describe('exports', () => {
  it('one case as JSON: the stored entries, re-verifiable, with the record', async () => {
    const caseId = uniqueId('ZG-EXP');
    await seedCase(deps, caseId, 3, { buildingId: 'bldg-b' });
    const res = await as('audit-he', `/api/cases/${caseId}/export?format=json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${caseId}-audit.json"`);
    const body = (await res.json()) as CaseExport & { exportedAt: string };
    expect(body.trail).toEqual(await readChain(deps.ddb, deps.tables, caseId));
    expect(body.case?.location.buildingId).toBe('bldg-b');
    expect(body.verification).toMatchObject({ ok: true, count: 3 });
  });

  it('one case as CSV: BOM, one row per entry, quoting, and no formula cells', async () => {
    const caseId = uniqueId('ZG-CSV');
    await seedCase(deps, caseId, 2);
    const res = await as('audit-he', `/api/cases/${caseId}/export?format=csv`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const rows = text.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'case_id,seq,at,actor_id,actor_role,actor_via,action,payload,prev_hash,hash,building_id,stage,title,chain_ok,at_local (Asia/Shanghai)',
    );
    // `at` stays UTC for programs; the last column is the same instant on the campus clock.
    const at = rows[1]!.split(',')[2]!;
    expect(at).toMatch(/Z$/);
    expect(rows[1]!.split(',').at(-1)).toBe(localAt(at, 'Asia/Shanghai'));
    expect(localAt(at, 'Asia/Shanghai')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(rows).toHaveLength(3);
    // The title starts with "=" and holds a comma and quotes: prefixed, quoted, quotes doubled.
    expect(rows[1]).toContain(`"'=水龙头漏水, ""Leaking"" tap"`);
    expect(rows[1]).toMatch(new RegExp(`^${caseId},1,`));
  });

  it('unknown case: 404; bad format: 400', async () => {
    expect((await as('audit-he', '/api/cases/ZG-NOPE-2/export')).status).toBe(404);
    expect((await as('audit-he', `/api/cases/ZG-NOPE-2/export?format=xml`)).status).toBe(400);
  });

  describe('a period, streamed', () => {
    // Campus days 2019-03-01 and 2019-03-02 (Asia/Shanghai, UTC+8); nothing else in the tables opens then.
    const ids = {
      firstMinute: uniqueId('ZG-P1'),
      lastMinute: uniqueId('ZG-P2'),
      dayAfter: uniqueId('ZG-P3'),
      dayBefore: uniqueId('ZG-P4'),
    };
    beforeAll(async () => {
      await seedCase(deps, ids.firstMinute, 2, {
        openedAt: '2019-02-28T16:00:30.000Z',
        buildingId: 'bldg-a',
      });
      await seedCase(deps, ids.lastMinute, 3, { openedAt: '2019-03-02T15:59:00.000Z', buildingId: 'bldg-b' });
      await seedCase(deps, ids.dayAfter, 1, { openedAt: '2019-03-02T16:00:00.000Z', buildingId: 'bldg-b' });
      await seedCase(deps, ids.dayBefore, 1, { openedAt: '2019-02-28T15:59:59.000Z', buildingId: 'bldg-a' });
    });

    it('JSON: the cases opened in those campus days, oldest first, each with its trail', async () => {
      const res = await as('audit-he', '/api/audit/export?from=2019-03-01&to=2019-03-02');
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        period: { from: string; to: string };
        cases: CaseExport[];
        count: number;
      };
      expect(body.period).toMatchObject({ from: '2019-02-28T16:00:00.000Z', to: '2019-03-02T16:00:00.000Z' });
      expect(body.cases.map((c) => c.caseId)).toEqual([ids.firstMinute, ids.lastMinute]);
      expect(body.cases.map((c) => c.trail.length)).toEqual([2, 3]);
      expect(body.count).toBe(2);
      expect(body.cases.every((c) => c.verification.ok)).toBe(true);
    });

    it('one building, as CSV', async () => {
      const res = await as(
        'audit-he',
        '/api/audit/export?from=2019-03-01&to=2019-03-02&buildingId=bldg-b&format=csv',
      );
      expect(res.headers.get('content-disposition')).toBe(
        'attachment; filename="audit-2019-03-01-2019-03-02-bldg-b.csv"',
      );
      const rows = (await res.text()).trimEnd().split('\r\n').slice(1);
      expect(rows.map((r) => r.split(',')[0])).toEqual([ids.lastMinute, ids.lastMinute, ids.lastMinute]);
    });

    it('instants work too, with `to` exclusive', async () => {
      const res = await as(
        'audit-he',
        '/api/audit/export?from=2019-02-28T15:59:59Z&to=2019-03-02T16:00:00%2B00:00&buildingId=bldg-a',
      );
      const body = (await res.json()) as { cases: CaseExport[] };
      expect(body.cases.map((c) => c.caseId)).toEqual([ids.dayBefore, ids.firstMinute]);
    });

    it.each([
      ['from=2019-03-01', 'to'],
      ['from=yesterday&to=2019-03-02', 'from'],
      ['from=2019-03-03&to=2019-03-01', 'from'],
      ['from=2019-03-01&to=2019-03-02&buildingId=bldg-z', 'buildingId'],
      ['from=2019-03-01&to=2019-03-02&format=pdf', 'format'],
      ['from=2019-03-01&to=2019-03-02&limit=5', '(query)'],
    ])('%s → 400 naming %s', async (query, field) => {
      const res = await as('audit-he', `/api/audit/export?${query}&lang=en`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors?: { field: string }[] };
      expect(body.errors?.map((e) => e.field)).toContain(field);
    });

    it('reads at most 366 days a request: longer is a 400 naming the cap and the job route', async () => {
      // 2019-03-01 through 2020-02-29: 366 campus days, a leap day among them.
      const year = await as('audit-he', '/api/audit/export?from=2019-03-01&to=2020-02-29');
      expect(year.status).toBe(200);
      const read = ((await year.json()) as { cases: CaseExport[] }).cases.map((c) => c.caseId);
      expect(read).toEqual(expect.arrayContaining([ids.firstMinute, ids.lastMinute, ids.dayAfter]));

      const years = await as('audit-he', '/api/audit/export?from=2001-01-01&to=2026-12-31');
      expect(years.status).toBe(400);
      expect(years.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const zh = (await years.json()) as { detail: string; errors: { field: string }[] };
      expect(zh.detail).toContain('一次导出最多 366 天，所请求的时段有 9496 天');
      expect(zh.detail).toContain('POST /api/audit/jobs');
      expect(zh.errors.map((e) => e.field)).toEqual(['to']);
      const en = await as('audit-he', '/api/audit/export?from=2019-03-01&to=2020-03-01&lang=en');
      expect(en.status).toBe(400);
      const detail = ((await en.json()) as { detail: string }).detail;
      expect(detail).toContain('at most 366 days and this period spans 367');
      expect(detail).toContain('Split it');
      expect(detail).toContain('POST /api/audit/jobs');
    });
  });
});

describe('GET /api/cases/{caseId}/history', () => {
  it('links the Temporal UI; without a workflow, ?source=temporal is a 404 that points to the trail', async () => {
    const caseId = uniqueId('ZG-HIST');
    await seedCase(deps, caseId, 2);
    const res = await as('audit-he', `/api/cases/${caseId}/history?lang=en`);
    const body = (await res.json()) as {
      temporalUrl: string;
      entries: { what: string; actor: { name: string } }[];
    };
    expect(body.temporalUrl).toBe(`http://temporal-ui.test/namespaces/default/workflows/${caseId}`);
    expect(body.entries.map((e) => e.what)).toEqual(['Problem recorded', 'Deadline set']);
    expect(body.entries[0]?.actor.name).not.toBe('sup-wang');
    const t = await as('audit-he', `/api/cases/${caseId}/history?source=temporal&lang=en`);
    expect(t.status).toBe(404);
    expect(((await t.json()) as { detail: string }).detail).toMatch(/retention.*\/history/);
  });

  it.each([
    ['/api/cases/bad%20id/history', 400],
    ['/api/cases/ZG-X/history?source=kafka', 400],
    ['/api/cases/ZG-NOPE-3/history', 404],
    ['/api/audit/verify?progressEvery=0', 400],
  ])('%s → %i', async (path, status) => {
    expect((await as('audit-he', path)).status).toBe(status);
  });
});
