import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { createSession } from '../../store/sessions.ts';
import { getReport } from '../../store/reports.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

/**
 * A safety hazard a student reports from the wall runs under the seed's "affects dormitory
 * safety" limits once triage opens it: someone there within 30 minutes when it stays urgent (the
 * severity triage starts it at), not the 24 hours of any other reported problem.
 */
let s: ApiStack;
beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

let address = 0;
async function reportFromWall(kind: string, description: string): Promise<string> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('description', description);
  const code = placeCode({ buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A209' });
  const res = await s.app.request(`/r/${code}`, {
    method: 'POST',
    body: form,
    headers: { 'x-forwarded-for': `203.0.113.${++address}` },
  });
  expect(res.status).toBe(303);
  const token = /^\/t\/([A-Za-z0-9_-]{32})/.exec(res.headers.get('location') ?? '')![1]!;
  const page = await (await s.app.request(`/t/${token}`)).text();
  return /RP-[0-9A-Z]{10}/.exec(page)![0];
}

async function openFromTriage(reportId: string, severity: string): Promise<string> {
  const sup = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
  const res = await s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    headers: {
      cookie: `rectify_session=${sup.id}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ action: 'case', assigneeId: 'staff-zhou', severity, _csrf: sup.csrfToken }),
  });
  expect(res.status).toBe(303);
  return (await getReport(s.deps.aws, reportId))!.caseId!;
}

interface Opened {
  sla: { ruleId: string };
  deadlines: { stage: string; startedAt: string; due: string }[];
}

async function viewOf(caseId: string): Promise<Opened> {
  const res = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
  expect(res.status).toBe(200);
  return (await res.json()) as Opened;
}

const analysisMinutes = (v: Opened) => {
  const d = v.deadlines.find((x) => x.stage === 'analysing')!;
  return (Date.parse(d.due) - Date.parse(d.startedAt)) / 60_000;
};

describe('a safety hazard reported from the wall', () => {
  it('opened urgent: analysed (someone there) within 30 minutes; another kind keeps 24 hours', async () => {
    const hazard = await openFromTriage(await reportFromWall('safety', '插线板冒烟，有焦味'), 'urgent');
    const v = await viewOf(hazard);
    expect(v.sla.ruleId).toBe('grid_report.urgent.safety');
    expect(analysisMinutes(v)).toBe(30);

    const dirty = await openFromTriage(await reportFromWall('cleanliness', '走廊垃圾未清'), 'urgent');
    const other = await viewOf(dirty);
    expect(other.sla.ruleId).toBe('grid_report');
    expect(analysisMinutes(other)).toBe(24 * 60);
  });

  it('downgraded to routine by triage: still fixed within 24 hours', async () => {
    const v = await viewOf(await openFromTriage(await reportFromWall('safety', '楼梯扶手松动'), 'routine'));
    expect(v.sla.ruleId).toBe('grid_report.safety');
    expect(analysisMinutes(v)).toBe(24 * 60);
  });
});
