import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZeroBoard } from '../../api/routes/zero-report.tsx';
import { textFlawMessage } from '../../domain/safe-text.ts';
import type { ZeroReport } from '../../domain/zero-report.ts';
import { createSession } from '../../store/sessions.ts';
import { zeroNightQuery } from '../../workflows/zero-report/messages.ts';
import { zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import {
  actionPath,
  call,
  formFields,
  outcomeOf,
  postForm,
  startApiStackOn,
  waitForEmail,
  type ApiStack,
} from './harness.ts';

/**
 * The nightly zero report over the real stack: a night's run on the dev
 * server, its emails in the SES emulator, reports through the API and the
 * one-click "none" link. Own tables and a night of its own (far ahead, so it
 * stays open while the file runs; random, so no earlier run's email is taken
 * for this one's).
 */
const tables = ownTables(uniqueId('zero'));
const NIGHT = `20${50 + Math.floor(Math.random() * 49)}-12-06`;
let s: ApiStack;
let night: WorkflowHandle<typeof zeroReportNight>;

beforeAll(async () => {
  s = await startApiStackOn(tables);
  night = await s.deps.temporal.workflow.start(zeroReportNight, {
    taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueId('zero-night'),
    args: [{ night: NIGHT }],
  });
  for (let i = 0; i < 300 && (await night.query(zeroNightQuery)).phase !== 'open'; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect((await night.query(zeroNightQuery)).phase).toBe('open');
});
afterAll(async () => {
  await night?.terminate('test over').catch(() => undefined);
  await s?.stop();
});

const report = (personId: string, body: unknown, headers: Record<string, string> = {}) =>
  call(s.app, 'POST', `/api/zero-reports/${NIGHT}`, { as: personId, body, headers });

async function board(): Promise<ZeroBoard> {
  const res = await call(s.app, 'GET', `/api/zero-reports/${NIGHT}`, { as: 'sup-wang' });
  expect(res.status).toBe(200);
  return (await res.json()) as ZeroBoard;
}

/** The one-click "none" link the night's run emailed to a grid member. */
async function noneLink(personId: string): Promise<string> {
  const to = s.dir.people.find((p) => p.id === personId)?.email ?? '';
  return actionPath(await waitForEmail((e) => e.subject.includes(`【零报告】${NIGHT}`) && e.to.includes(to)));
}

async function openAndSubmit(path: string): Promise<{ shown: string; status: number; done: string }> {
  const page = await s.app.request(path);
  expect(page.status).toBe(200);
  const shown = await page.text();
  const res = await postForm(s.app, path, formFields(shown));
  return { shown, status: res.status, done: await res.text() };
}

interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}
const problemOf = async (res: Response): Promise<Problem> => {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as Problem;
};

describe('the one-click "none" link after a real report', () => {
  it('shows what is on record, refuses to replace it with 409, and takes no second "none"', async () => {
    const absent = await report('grid-a1c1', {
      absent: [{ room: 'A102', name: '李四', note: '未归，电话不通' }],
    });
    expect(absent.status).toBe(201);
    const link = await noneLink('grid-a1c1');

    // The page says what the cell reported and offers no button the link could only have refused:
    // it leads to the page where the report is corrected, as a link to tap.
    const stale = await s.app.request(link);
    expect(stale.status).toBe(409);
    const shown = await stale.text();
    expect(outcomeOf(shown)).toBe('already_reported');
    expect(shown).toContain('今晚已上报：未归 1 人（A102 李四）');
    expect(shown).toContain('Already reported tonight: 1 absent (A102 李四)');
    expect(shown).not.toContain('<form');
    const reportPage = `${s.deps.publicBaseUrl}/zero-report/${NIGHT}/report`;
    expect(shown).toContain(`href="${reportPage}"`);
    expect(shown).not.toContain('API');

    const kept = (await board()).cells.find((c) => c.cellId === 'L3:a-f1-c1');
    expect(kept?.status).toBe('reported');
    expect(kept?.report?.absent).toEqual([{ room: 'A102', name: '李四', note: '未归，电话不通' }]);
    expect((await board()).counts.absent).toBe(1);

    // A deliberate correction through the API still replaces the report.
    const corrected = await report('grid-a1c1', { none: true });
    expect(corrected.status).toBe(201);
    const at = ((await corrected.json()) as ZeroReport).at;

    // Now the (released) link finds "none" on record: it says so and enters nothing twice.
    const again = await openAndSubmit(link);
    expect(again.shown).toContain('今晚已上报：无晚归、未归');
    expect(again.status).toBe(200);
    expect(again.done).toContain('无需重复上报');
    const after = (await board()).cells.find((c) => c.cellId === 'L3:a-f1-c1');
    expect(after?.status).toBe('none');
    expect(after?.report).toMatchObject({ via: 'api', at });
  });

  it('a report taken after the link’s page read the board is not replaced by its "none": 409 with what is on record', async () => {
    const link = await noneLink('grid-b1c1');
    const page = await s.app.request(link);
    expect(page.status).toBe(200);
    const shown = await page.text();
    expect(shown).not.toContain('今晚已上报');
    const absent = await report('grid-b1c1', { absent: [{ room: 'B101', name: '王五' }] });
    expect(absent.status).toBe(201);
    // The link's check reads the stored row, which the run writes after it has taken the report:
    // put the store back to what the check would have read in that moment.
    await s.deps.aws.ddb.send(
      new DeleteItemCommand({
        TableName: s.deps.aws.tables.ops,
        Key: marshall({ pk: `ZERONIGHT#${NIGHT}`, sk: 'report#L3:b-f1-c1' }),
      }),
    );
    const res = await postForm(s.app, link, formFields(shown));
    expect(res.status).toBe(409);
    const done = await res.text();
    expect(outcomeOf(done)).toBe('refused');
    expect(done).toContain('未归 1 人（B101 王五）');
    const kept = (await night.query(zeroNightQuery)).reports.find((r) => r.cellId === 'L3:b-f1-c1');
    expect(kept).toMatchObject({ via: 'api', none: false, absent: [{ room: 'B101', name: '王五' }] });
  });

  it('still reports "none" for a cell with nothing on record', async () => {
    const done = await openAndSubmit(await noneLink('grid-a1c2'));
    expect(done.shown).not.toContain('今晚已上报');
    expect(done.status).toBe(200);
    expect(done.done).toContain('无晚归、未归');
    const cell = (await board()).cells.find((c) => c.cellId === 'L3:a-f1-c2');
    expect(cell).toMatchObject({ status: 'none', report: { via: 'link' } });
  });
});

describe('what a zero report may name', () => {
  const flaw = (k: keyof typeof textFlawMessage) => textFlawMessage[k].zh;
  it.each([
    [
      'a direction override and a NUL in a name, an invisible-only note',
      { late: [{ room: 'A201', name: '\u202eevil\u0000', note: '\u200b\u200b' }] },
      [
        ['late.0.name', flaw('control')],
        ['late.0.note', flaw('invisible_only')],
      ],
    ],
    ['an invisible-only room', { absent: [{ room: '\u200b' }] }, [['absent.0.room', flaw('invisible_only')]]],
    ['a line break in a room', { absent: [{ room: 'A201\nA202' }] }, [['absent.0.room', flaw('line_break')]]],
    [
      'a direction override in a name',
      { absent: [{ room: 'A201', name: 'abc\u202e' }] },
      [['absent.0.name', flaw('bidi_override')]],
    ],
  ])('refuses %s with 400 naming the field', async (_what, body, expected) => {
    const res = await report('grid-a2c1', body);
    expect(res.status).toBe(400);
    const p = await problemOf(res);
    for (const [field, message] of expected)
      expect(p.errors?.find((e) => e.field === field)?.message).toContain(message);
  });

  it('refuses a room outside the reporter’s cell with 422 naming the room and the cell, in the caller’s language', async () => {
    for (const room of ['ZZZ999', 'A206', 'B101']) {
      const res = await report('grid-a2c1', { late: [{ room: 'A203' }, { room, name: '王五' }] });
      expect([room, res.status]).toEqual([room, 422]);
      const p = await problemOf(res);
      expect(p.detail).toContain(room);
      expect(p.detail).toContain('L3:a-f2-c1');
      expect(p.detail).toContain('不在网格');
      expect(p.errors?.map((e) => e.field)).toEqual(['late.1.room']);
      expect(p.errors?.[0]?.message).toBe(`房间 ${room} 不在网格 L3:a-f2-c1 内`);
      const en = await problemOf(
        await report('grid-a2c1', { absent: [{ room }] }, { 'accept-language': 'en' }),
      );
      expect(en.detail).toContain(`room ${room} is not in grid cell`);
      expect(en.detail).toContain('L3:a-f2-c1');
      expect(en.errors?.[0]?.message).toBe(`room ${room} is not in cell L3:a-f2-c1`);
    }
    const cell = (await board()).cells.find((c) => c.cellId === 'L3:a-f2-c1');
    expect(cell?.status).toBe('missing');
  });

  it('takes a room of the cell however it is cased, spelt as the directory spells it; a floor answers for its clusters', async () => {
    const res = await report('grid-a2c2', { late: [{ room: ' a207 ', name: '赵六' }] });
    expect(res.status).toBe(201);
    expect(((await res.json()) as ZeroReport).late).toEqual([{ room: 'A207', name: '赵六' }]);
    const floor = await report('grid-a2f', { absent: [{ room: 'A203' }, { room: 'A209' }] });
    expect(floor.status).toBe(201);
    expect((await report('grid-a2f', { absent: [{ room: 'A103' }] })).status).toBe(422);
  });
});

describe('a zero report takes only what it knows, and each person once', () => {
  const fieldsOf = async (res: Response) => {
    expect(res.status).toBe(400);
    return (await problemOf(res)).errors ?? [];
  };

  it.each([
    ['a key it does not know at the top', { none: true, zz: 1 }, '(body)'],
    ['a key it does not know in a late entry', { late: [{ room: 'B106', zz: 1 }] }, 'late.0'],
    [
      'a key it does not know in an absent entry',
      { absent: [{ room: 'B106', name: '李四', nmae: 'x' }] },
      'absent.0',
    ],
  ])('refuses %s with 400 "is not a field here", storing nothing', async (_what, body, field) => {
    const errors = await fieldsOf(await report('grid-b1c2', body, { 'accept-language': 'en' }));
    expect(errors.find((e) => e.field === field)?.message).toMatch(/is not a field here/);
    expect((await board()).cells.find((c) => c.cellId === 'L3:b-f1-c2')?.status).toBe('missing');
  });

  it.each([
    [
      'one person late twice',
      { late: [{ room: 'B106', name: '李四' }, { room: 'B107' }, { room: 'B106', name: '李四' }] },
      'late.2',
      'late.0',
    ],
    [
      'one person absent twice, the room cased otherwise',
      {
        absent: [
          { room: 'b108', name: 'Li Si' },
          { room: 'B108', name: 'li si' },
        ],
      },
      'absent.1',
      'absent.0',
    ],
    [
      'one unnamed entry twice (the board would count it once)',
      { absent: [{ room: 'B109' }, { room: 'B109' }] },
      'absent.1',
      'absent.0',
    ],
    [
      'one person both late and absent',
      { late: [{ room: 'B110', name: '王五' }], absent: [{ room: 'B110', name: '王五' }] },
      'absent.0',
      'late.0',
    ],
  ])(
    'refuses %s with 400 naming the repeat, in the caller’s language only',
    async (_what, body, field, first) => {
      const zh = (await fieldsOf(await report('grid-b1c2', body))).filter((e) => e.field === field);
      expect(zh).toHaveLength(1);
      expect(zh[0]?.message).toContain(`与 ${first} 房间、姓名相同`);
      expect(zh[0]?.message).not.toContain('the same room');
      const en = (await fieldsOf(await report('grid-b1c2', body, { 'accept-language': 'en' }))).filter(
        (e) => e.field === field,
      );
      expect(en[0]?.message).toContain(`the same room and name as ${first}`);
      expect(en[0]?.message).not.toMatch(/\p{Script=Han}/u);
      expect((await board()).cells.find((c) => c.cellId === 'L3:b-f1-c2')?.status).toBe('missing');
    },
  );

  it('takes two people of one room, and one room’s person late while another is absent', async () => {
    const res = await report('grid-b2c1', {
      late: [
        { room: 'B201', name: '李四' },
        { room: 'B201', name: '王五' },
      ],
      absent: [{ room: 'B201', name: '赵六' }],
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as ZeroReport).late).toHaveLength(2);
  });
});

describe('a night with no run on record', () => {
  const detailOf = async (night: string, lang: 'zh' | 'en') => {
    const res = await call(s.app, 'GET', `/api/zero-reports/${night}`, {
      as: 'sup-wang',
      headers: lang === 'en' ? { 'accept-language': 'en' } : {},
    });
    expect(res.status).toBe(404);
    return (await problemOf(res)).detail;
  };

  it('a past night says it has no zero-report round on record, not that it has not opened', async () => {
    expect(await detailOf('2001-03-04', 'en')).toBe(
      'there is no zero-report round on record for the night of 2001-03-04',
    );
    expect(await detailOf('2001-03-04', 'zh')).toContain('2001-03-04 晚没有零报告记录');
    expect(await detailOf('2001-03-04', 'zh')).not.toContain('尚未开始');
  });

  it('a night ahead has not opened yet', async () => {
    expect(await detailOf('2099-12-31', 'en')).toContain('has not opened (it opens at 22:20 each night)');
    expect(await detailOf('2099-12-31', 'zh')).toContain('尚未开始');
  });
});

describe('the board page’s language', () => {
  const cookieOf = async (personId: string) =>
    `rectify_session=${(await createSession(s.deps.aws, { personId, via: 'link' })).id}`;
  const langOf = async (res: Response) => {
    expect(res.status).toBe(200);
    return /<html lang="([^"]+)"/.exec(await res.text())?.[1];
  };

  it('follows /app: ?lang=, then the remembered choice, then the browser, then the person’s setting', async () => {
    const page = `/zero-report/${NIGHT}`;
    const cookie = await cookieOf('sup-wang');
    // sup-wang's directory setting is Chinese; their /app is switched to English.
    expect(await langOf(await s.app.request(page, { headers: { cookie } }))).toBe('zh-CN');
    expect(
      await langOf(await s.app.request(page, { headers: { cookie: `${cookie}; rectify_lang=en` } })),
    ).toBe('en');
    expect(
      await langOf(await s.app.request(page, { headers: { cookie, 'accept-language': 'en-GB,en;q=0.9' } })),
    ).toBe('en');
    const asked = await s.app.request(`${page}?lang=zh-CN`, {
      headers: { cookie: `${cookie}; rectify_lang=en` },
    });
    expect(asked.headers.get('set-cookie')).toContain('rectify_lang=zh-CN');
    expect(await langOf(asked)).toBe('zh-CN');
    // A script with a bearer token and nothing else: the person's setting.
    expect(await langOf(await call(s.app, 'GET', page, { as: 'sup-smith' }))).toBe('en');
    expect(
      await langOf(
        await call(s.app, 'GET', page, { as: 'sup-smith', headers: { 'accept-language': 'zh-CN' } }),
      ),
    ).toBe('zh-CN');
  });
});
