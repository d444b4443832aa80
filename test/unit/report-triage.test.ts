import { describe, expect, it } from 'vitest';
import type { Directory } from '../../domain/directory.ts';
import {
  reportTriageWorkflowId,
  triageChaseInput,
  toldOnArrival,
  triagedFirst,
  triageNoticePlan,
  triageRecipients,
  waitedText,
  type TriageRecipients,
} from '../../domain/report-triage.ts';
import { triageNoticeMail } from '../../domain/triage-mail.ts';

const dir: Pick<Directory, 'buildings' | 'campus'> = {
  campus: { name: { zh: '校园', en: 'Campus' }, workingGroupIds: ['wg-1'], leadershipIds: ['lead-1'] },
  buildings: [
    {
      id: 'b1',
      name: { zh: '一号楼', en: 'Building 1' },
      supervisorIds: ['sup-1', 'sup-2'],
      gridMemberIds: ['grid-1', 'sup-2'],
      floors: [],
    },
    {
      id: 'canteen',
      name: { zh: '食堂', en: 'Canteen' },
      kind: 'public_area',
      supervisorIds: ['sup-c'],
      gridMemberIds: [],
      floors: [],
    },
  ],
};

const recipients: TriageRecipients = triageRecipients(dir, { buildingId: 'b1' });
const TZ = 'Asia/Shanghai';
// Shanghai is UTC+8 all year.
const local = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`).toISOString();
const plan = (receivedAt: string, severity: 'routine' | 'urgent', r = recipients) =>
  triageNoticePlan({ receivedAt, severity, recipients: r, timeZone: TZ }).map(
    (n) => `${n.kind} ${n.rung} ${n.at} ${n.personIds.join(',')}`,
  );

describe('who hears of an untriaged report', () => {
  it('reminds the triage queue (supervisors and level 1, once each), then goes up level 1, supervisors, working group', () => {
    expect(recipients).toEqual({
      triage: ['sup-1', 'sup-2', 'grid-1'],
      grid_l1: ['grid-1', 'sup-2'],
      supervisors: ['sup-1', 'sup-2'],
      working_group: ['wg-1'],
    });
  });

  it('skips the rungs a public area has nobody on', () => {
    const r = triageRecipients(dir, { buildingId: 'canteen' });
    expect(r.grid_l1).toEqual([]);
    expect(
      plan(local('2026-12-02', '10:00'), 'routine', r).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['reminder triage', 'escalation supervisors', 'escalation working_group']);
  });

  it('an unknown building still reaches the working group', () => {
    const r = triageRecipients(dir, { buildingId: 'nowhere' });
    expect(
      triageNoticePlan({
        receivedAt: local('2026-12-02', '10:00'),
        severity: 'routine',
        recipients: r,
        timeZone: TZ,
      }).map((n) => n.rung),
    ).toEqual(['working_group']);
  });
});

describe('when', () => {
  it('a routine report in the morning: 2 h, 4 h, 8 h, then a day', () => {
    expect(plan(local('2026-12-02', '10:00'), 'routine')).toEqual([
      `reminder triage ${local('2026-12-02', '12:00')} sup-1,sup-2,grid-1`,
      `escalation grid_l1 ${local('2026-12-02', '14:00')} grid-1,sup-2`,
      `escalation supervisors ${local('2026-12-02', '18:00')} sup-1,sup-2`,
      `escalation working_group ${local('2026-12-03', '10:00')} wg-1`,
    ]);
  });

  it('a routine report in the evening waits for the morning, and the later notices keep their spacing', () => {
    expect(plan(local('2026-12-02', '19:00'), 'routine').map((l) => l.split(' ')[2])).toEqual([
      local('2026-12-03', '08:00'),
      local('2026-12-03', '10:00'),
      local('2026-12-03', '14:00'),
      // 14:00 + 16 h is 06:00: held to the start of the working day.
      local('2026-12-04', '08:00'),
    ]);
  });

  it('a safety hazard at night: the first reminder goes at once, the rest wait for working hours', () => {
    expect(plan(local('2026-12-02', '23:00'), 'urgent').map((l) => l.split(' ')[2])).toEqual([
      local('2026-12-02', '23:10'),
      local('2026-12-03', '08:00'),
      local('2026-12-03', '08:30'),
      local('2026-12-03', '09:30'),
    ]);
  });

  it('a safety hazard by day is chased within the hour', () => {
    expect(plan(local('2026-12-02', '09:00'), 'urgent').map((l) => l.split(' ')[2])).toEqual([
      local('2026-12-02', '09:10'),
      local('2026-12-02', '09:30'),
      local('2026-12-02', '10:00'),
      local('2026-12-02', '11:00'),
    ]);
  });

  it('follows the school’s own working hours', () => {
    const at = triageNoticePlan({
      receivedAt: local('2026-12-02', '10:00'),
      severity: 'routine',
      recipients,
      timeZone: TZ,
      workingHours: { from: '00:00', to: '24:00' },
    }).map((n) => n.at);
    expect(at.at(-1)).toBe(local('2026-12-03', '10:00'));
    expect(at[0]).toBe(local('2026-12-02', '12:00'));
  });

  it('a safety hazard is told to the people who triage it the moment it arrives, then the ladder as before', () => {
    const arrived = (receivedAt: string) =>
      triageNoticePlan({ receivedAt, severity: 'urgent', recipients, timeZone: TZ, arrivalNotice: true }).map(
        (n) => `${n.index} ${n.kind} ${n.rung} ${n.at}`,
      );
    expect(arrived(local('2026-12-02', '09:00'))).toEqual([
      `0 arrival triage ${local('2026-12-02', '09:00')}`,
      `1 reminder triage ${local('2026-12-02', '09:10')}`,
      `2 escalation grid_l1 ${local('2026-12-02', '09:30')}`,
      `3 escalation supervisors ${local('2026-12-02', '10:00')}`,
      `4 escalation working_group ${local('2026-12-02', '11:00')}`,
    ]);
    // At night the arrival goes at once; the ladder after it waits for the morning, keeping its spacing.
    expect(arrived(local('2026-12-02', '23:00')).map((l) => l.split(' ')[3])).toEqual([
      local('2026-12-02', '23:00'),
      local('2026-12-03', '08:00'),
      local('2026-12-03', '08:20'),
      local('2026-12-03', '08:50'),
      local('2026-12-03', '09:50'),
    ]);
  });

  it('pins the arrival notice in the chase input of a safety hazard; a chase started without it keeps its plan', () => {
    const input = (kind: 'safety' | 'repair') =>
      triageChaseInput(
        dir,
        {
          reportId: 'RP-0123456789',
          receivedAt: local('2026-12-02', '09:00'),
          kind,
          location: { buildingId: 'b1' },
        },
        { timeZone: TZ },
      );
    expect(triagedFirst('safety')).toBe(true);
    expect(triagedFirst('repair')).toBe(false);
    expect(input('safety')).toMatchObject({ severity: 'urgent', arrivalNotice: true });
    expect(triageNoticePlan(input('safety'))[0]).toMatchObject({
      kind: 'arrival',
      at: local('2026-12-02', '09:00'),
    });
    // The input of a chase started before (no arrivalNotice) plans the 10-minute reminder first, as then.
    const { arrivalNotice: _pinned, ...before } = input('safety');
    expect(triageNoticePlan(before).map((n) => n.kind)).toEqual([
      'reminder',
      'escalation',
      'escalation',
      'escalation',
    ]);
  });

  it("tells a repair's triage on arrival, within working hours, before its 2-hour on-site clock runs out", () => {
    const input = (kind: 'repair' | 'cleanliness' | 'service', time: string) =>
      triageChaseInput(
        dir,
        {
          reportId: 'RP-0123456789',
          receivedAt: local('2026-12-02', time),
          kind,
          location: { buildingId: 'b1' },
        },
        { timeZone: TZ },
      );
    // A repair keeps its place in the queue (routine) but is told at once: its case's on-site clock runs from the report.
    expect(triagedFirst('repair')).toBe(false);
    expect(toldOnArrival('repair')).toBe(true);
    expect(toldOnArrival('safety')).toBe(true);
    // Kinds whose cases have no on-site clock keep the routine ladder.
    expect(toldOnArrival('cleanliness')).toBe(false);
    expect(toldOnArrival('service')).toBe(false);
    expect(input('cleanliness', '08:38')).not.toHaveProperty('arrivalNotice');
    const at = (time: string) =>
      triageNoticePlan(input('repair', time)).map((n) => `${n.kind} ${n.rung} ${n.at}`);
    // 08:38: the triage queue hears at once, then the ladder as before (reminder 2 h on).
    expect(input('repair', '08:38')).toMatchObject({ severity: 'routine', arrivalNotice: true });
    expect(at('08:38').slice(0, 3)).toEqual([
      `arrival triage ${local('2026-12-02', '08:38')}`,
      `reminder triage ${local('2026-12-02', '10:38')}`,
      `escalation grid_l1 ${local('2026-12-02', '12:38')}`,
    ]);
    // 23:00: held to the start of working hours like any first notice of a routine report.
    expect(at('23:00').slice(0, 2)).toEqual([
      `arrival triage ${local('2026-12-03', '08:00')}`,
      `reminder triage ${local('2026-12-03', '10:00')}`,
    ]);
  });

  it('numbers the notices in order (their email keys)', () => {
    const p = triageNoticePlan({
      receivedAt: local('2026-12-02', '10:00'),
      severity: 'routine',
      recipients,
      timeZone: TZ,
    });
    expect(p.map((n) => n.index)).toEqual([0, 1, 2, 3]);
  });
});

describe('the notice email and its words', () => {
  it('says how long the report waited, who it now goes to, and links the triage page, in both languages', () => {
    const mail = triageNoticeMail('zh-CN', {
      notice: { kind: 'escalation', rung: 'supervisors' },
      reportId: 'RP-0123456789',
      name: '王主管',
      placeName: { zh: '一号楼A101', en: 'Building 1, A101' },
      kindLabel: { zh: '报修', en: 'Repair' },
      description: '<b>灯</b>不亮',
      waitedText: waitedText(8 * 3_600_000),
      triageUrl: 'http://rectify.test/app/triage#RP-0123456789',
    });
    expect(mail.subject).toBe(
      '【报告未分派】RP-0123456789 一号楼A101 / [Report not triaged] RP-0123456789 Building 1, A101',
    );
    expect(mail.text).toContain('已等待 8 小时');
    expect(mail.text).toContain('楼栋主管');
    expect(mail.text).toContain("the building's supervisors");
    expect(mail.html).toContain('&lt;b&gt;');
    // Greeted once, in the reader's language, and their half first.
    expect(mail.text.split('\n')[0]).toBe('王主管，您好：');
    expect(mail.text).not.toContain('Dear');
    expect(mail.html).not.toContain('Dear');
    expect(mail.text.indexOf('报告内容')).toBeLessThan(mail.text.indexOf('The report:'));
    // The triage page is a labelled button, its address never the link's text; the text part keeps it in each half.
    const links = [...mail.html.matchAll(/<a href="([^"]+)"[^>]*>([^<]*)<\/a>/g)];
    expect(links.map((m) => [m[1], m[2]])).toEqual([
      ['http://rectify.test/app/triage#RP-0123456789', '打开分派页面 / Open the triage page'],
    ]);
    expect(mail.html.replace(/href="[^"]*"/g, '')).not.toContain('http://rectify.test');
    expect(mail.text).toContain('打开分派页面：http://rectify.test/app/triage#RP-0123456789');
    expect(mail.text).toContain('Open the triage page: http://rectify.test/app/triage#RP-0123456789');
    const en = triageNoticeMail('en', {
      notice: { kind: 'reminder', rung: 'triage' },
      reportId: 'RP-0123456789',
      name: 'Wang',
      placeName: { zh: '一号楼', en: 'Building 1' },
      kindLabel: { zh: '报修', en: 'Repair' },
      description: 'x',
      waitedText: waitedText(10 * 60_000),
      triageUrl: 'http://rectify.test/app/triage',
    });
    expect(en.subject.startsWith('[Triage reminder]')).toBe(true);
    expect(en.text.split('\n')[0]).toBe('Dear Wang,');
    expect(en.text).not.toContain('您好');
    expect(en.text.indexOf('The report:')).toBeLessThan(en.text.indexOf('报告内容'));
    expect(en.html).toContain('>Open the triage page / 打开分派页面</a>');
    expect(en.text).toContain('waited 10 minutes');
  });

  it('tells of a safety hazard on its arrival as such, not as a wait', () => {
    const mail = triageNoticeMail('zh-CN', {
      notice: { kind: 'arrival', rung: 'triage' },
      reportId: 'RP-0123456789',
      name: '王主管',
      placeName: { zh: '一号楼A101', en: 'Building 1, A101' },
      kindLabel: { zh: '安全隐患', en: 'Safety hazard' },
      description: '插座冒烟',
      waitedText: waitedText(0),
      triageUrl: 'http://rectify.test/app/triage#RP-0123456789',
    });
    expect(mail.subject).toBe(
      '【新报告，请立即分派】RP-0123456789 一号楼A101 / [New report, triage now] RP-0123456789 Building 1, A101',
    );
    expect(mail.text).toContain('刚收到一份扫码报告（安全隐患），请立即分派');
    expect(mail.text).toContain('has just come in at Building 1, A101: triage it now');
    expect(mail.text).not.toContain('已等待');
  });

  it('tells of an arrival held overnight by how long it waited, not as just come in', () => {
    const mail = triageNoticeMail('en', {
      notice: { kind: 'arrival', rung: 'triage' },
      reportId: 'RP-0123456789',
      name: '王主管',
      placeName: { zh: '一号楼A101', en: 'Building 1, A101' },
      kindLabel: { zh: '报修', en: 'Repair' },
      description: '灯不亮',
      waitedText: waitedText(9 * 3_600_000),
      held: true,
      triageUrl: 'http://rectify.test/app/triage#RP-0123456789',
    });
    expect(mail.text).toContain('在非工作时间收到一份扫码报告（报修），已等待 9 小时，请立即分派');
    expect(mail.text).toContain('came in at Building 1, A101 out of working hours and has waited 9 hours');
    expect(mail.text).not.toContain('刚收到');
    expect(mail.text).not.toContain('just come in');
  });

  it('counts minutes under two hours and hours after', () => {
    expect(waitedText(119 * 60_000)).toEqual({ zh: '119 分钟', en: '119 minutes' });
    expect(waitedText(150 * 60_000)).toEqual({ zh: '3 小时', en: '3 hours' });
    expect(waitedText(-5)).toEqual({ zh: '0 分钟', en: '0 minutes' });
  });

  it('gives one run per report', () => {
    expect(reportTriageWorkflowId('RP-0123456789')).toBe('report-triage-RP-0123456789');
  });
});
