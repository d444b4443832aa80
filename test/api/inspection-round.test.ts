import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checklistFor, type InspectionRound } from '../../domain/inspection.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { saveDirectory } from '../../store/directory.ts';
import { saveRound } from '../../store/inspections.ts';
import { createSession } from '../../store/sessions.ts';
import {
  InspectionRoundFailure,
  inspectionRoundQuery,
  recordChecksUpdate,
} from '../../workflows/inspection-round/messages.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { inspectionRoundKit } from '../support/inspection-rounds.ts';
import { call, startApiStack, tokenFor, type ApiStack } from './harness.ts';

/**
 * The 6T checklist page (/inspection/{roundId}) and its form, on a real round
 * workflow: saving progress never ends the round, finishing wants every item
 * answered, notes are held to the safe-text rule, and what is refused comes
 * back on the checklist with what was typed, in the page's language.
 */
let s: ApiStack;
// Tables of this file's own: one test takes the staff out of the directory for a while.
const tables = ownTables(uniqueId('insp'));
beforeAll(async () => {
  const aws = testDeps(testEnv(tables));
  await ensureTables(aws.ddb, aws.tables);
  s = await startApiStack({}, tables);
});
afterAll(async () => {
  await s?.stop();
});

const daily = checklistFor('daily').map((i) => i.id);
const { store, openRound, roundNow } = inspectionRoundKit(() => s.deps, { from: 5000, span: 20_000 });

async function postChecklist(
  id: string,
  fields: [string, string][],
  o: { as?: string; query?: string } = {},
) {
  return s.app.request(`/inspection/${id}${o.query ?? ''}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await tokenFor(o.as ?? 'sup-wang')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields).toString(),
  });
}

async function getPage(id: string, query = '') {
  return s.app.request(`/inspection/${id}${query}`, {
    headers: { authorization: `Bearer ${await tokenFor('sup-wang')}` },
  });
}

/** One item's fieldset on the page. */
function itemBlock(html: string, itemId: string): string {
  const start = html.indexOf(`id="item-${itemId}"`);
  expect(start, `item ${itemId} on the page`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</fieldset>', start));
}

describe('the inspection list asks for its period in words', () => {
  it('a list without its dates says to give them, in the caller’s language', async () => {
    const res = await s.app.request('/api/inspections?buildingId=bldg-a', {
      headers: { authorization: `Bearer ${await tokenFor('sup-wang')}` },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors.map((e) => [e.field, e.message])).toEqual([
      ['from', '须给出日期，如 2026-12-04'],
      ['to', '须给出日期，如 2026-12-04'],
    ]);
  });
});

describe('a save keeps who recorded each unchanged result', () => {
  it('a second supervisor saving the filled-in page re-records only what they changed', async () => {
    const id = await openRound();
    const [first, second] = (await roundNow(id)).checklist;
    expect(
      (
        await postChecklist(id, [
          [`${first}.result`, 'pass'],
          ['finish', 'false'],
        ])
      ).status,
    ).toBe(303);
    const before = (await roundNow(id)).results.find((r) => r.itemId === first)!;
    expect(before.by).toBe('sup-wang');
    // sup-smith's page carries the first item as saved, and adds the second.
    const again = await postChecklist(
      id,
      [
        [`${first}.result`, 'pass'],
        [`${second}.result`, 'fail'],
        [`${second}.note`, '灭火器过期'],
        ['finish', 'false'],
      ],
      { as: 'sup-smith' },
    );
    expect(again.status).toBe(303);
    const after = await roundNow(id);
    expect(after.results.find((r) => r.itemId === first)).toMatchObject({ by: 'sup-wang', at: before.at });
    expect(after.results.find((r) => r.itemId === second)).toMatchObject({ by: 'sup-smith', result: 'fail' });
    // A save with nothing changed records nothing.
    const unchanged = await postChecklist(
      id,
      [
        [`${first}.result`, 'pass'],
        ['finish', 'false'],
      ],
      {
        as: 'sup-smith',
      },
    );
    expect(unchanged.status).toBe(303);
    expect((await roundNow(id)).results.find((r) => r.itemId === first)).toMatchObject({ by: 'sup-wang' });
  });
});

describe('inspection checklist: saving and finishing', () => {
  it('saves progress without ending the round; the page offers save and finish', async () => {
    const id = await openRound();
    const page = await (await getPage(id)).text();
    // The building by its name and the due in campus time, not ids and a UTC instant.
    expect(page).toMatch(/<h1>[^<]*学生公寓[AB]栋/);
    expect(page).toMatch(/截止：\d{4}-\d{2}-\d{2} \d{2}:\d{2}；/);
    expect(page).toMatch(/<button type="submit" name="finish" value="false"[^>]*>保存进度<\/button>/);
    expect(page).toMatch(/<button type="submit" name="finish" value="true"[^>]*>提交并结束检查<\/button>/);

    const saved = await postChecklist(id, [
      ['6t.safety.1.result', 'pass'],
      ['finish', 'false'],
    ]);
    expect(saved.status).toBe(303);
    let round = await roundNow(id);
    expect(round.status).toBe('open');
    expect(round.results.map((r) => r.itemId)).toEqual(['6t.safety.1']);

    // A post that says nothing of finishing (a script, an old page) saves too.
    const again = await postChecklist(id, [['6t.safety.2.result', 'na']]);
    expect(again.status).toBe(303);
    round = await roundNow(id);
    expect(round.status).toBe('open');
    expect(round.results.map((r) => r.itemId).sort()).toEqual(['6t.safety.1', '6t.safety.2']);

    // What was saved is on the page again, for the next visit.
    const later = await (await getPage(id)).text();
    expect(itemBlock(later, '6t.safety.2')).toMatch(/value="na" checked=""/);
  });

  it('refuses to finish while items are unanswered, saying how many, and keeps what was typed', async () => {
    const id = await openRound();
    const res = await postChecklist(id, [
      ['6t.safety.1.result', 'fail'],
      ['6t.safety.1.note', '二楼消防通道堆放杂物'],
      ['finish', 'true'],
    ]);
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain(`还有 ${daily.length - 1} 项未填写，不能结束检查`);
    expect(itemBlock(page, '6t.safety.2')).toContain('尚未填写');
    expect(itemBlock(page, '6t.safety.1')).toMatch(/value="fail" checked=""/);
    expect(itemBlock(page, '6t.safety.1')).toContain('二楼消防通道堆放杂物');
    const round = await roundNow(id);
    expect(round.status).toBe('open');
    expect(round.results).toEqual([]);
    expect(round.cases).toEqual({});

    const en = await postChecklist(
      id,
      [
        ['6t.safety.1.result', 'pass'],
        ['finish', 'true'],
      ],
      { query: '?lang=en' },
    );
    expect(en.status).toBe(422);
    expect(await en.text()).toContain(`${daily.length - 1} of ${daily.length} items are not answered yet`);
  });

  it('finishes once every item is answered (in parts), and a finished round offers no form', async () => {
    const id = await openRound();
    const [first, ...rest] = daily;
    expect(
      (
        await postChecklist(id, [
          [`${first}.result`, 'pass'],
          ['finish', 'false'],
        ])
      ).status,
    ).toBe(303);
    const done = await postChecklist(id, [
      ...rest.map((r): [string, string] => [`${r}.result`, 'pass']),
      ['finish', 'true'],
    ]);
    expect(done.status).toBe(303);
    const round = await roundNow(id);
    expect(round.status).toBe('completed');
    expect(round.results).toHaveLength(daily.length);

    const page = await (await getPage(id)).text();
    expect(page).not.toContain('<form');
    expect(page).not.toContain('type="submit"');
    expect(page).toContain('本次检查已结束，结果不能再修改');

    const late = await postChecklist(id, [
      ['6t.safety.1.result', 'fail'],
      ['6t.safety.1.note', 'x'],
      ['finish', 'false'],
    ]);
    expect(late.status).toBe(409);
    const latePage = await late.text();
    expect(latePage).toContain('本次检查已结束');
    expect(latePage).not.toContain('type="submit"');
  });

  it('names a malformed round id in words, in the caller’s language, not as a pattern', async () => {
    for (const [lang, said] of [
      ['en', 'must be an inspection round id such as inspection.daily.bldg-a.2026-12-06'],
      ['zh-CN', '须为检查轮次编号，如 inspection.daily.bldg-a.2026-12-06'],
    ] as const) {
      const res = await call(s.app, 'GET', `/api/inspections/not-a-round?lang=${lang}`, { as: 'sup-wang' });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { field: string; message: string }[] };
      expect(body.errors).toEqual([{ field: 'roundId', message: said }]);
    }
  });

  it('keeps the JSON API contract: finish defaults to true there', async () => {
    const id = await openRound();
    const res = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: daily.map((itemId) => ({ itemId, result: 'pass' })) },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as InspectionRound).status).toBe('completed');
  });
});

describe('inspection checklist: the round itself refuses to finish with gaps', () => {
  it('an API client finishing with items unanswered gets a 422 naming them, and the round stays open', async () => {
    const id = await openRound();
    const [first, ...rest] = daily;
    const res = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      // finish defaults to true on the API.
      body: { results: [{ itemId: first, result: 'pass' }] },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { detail: string };
    expect(problem.detail).toContain(`还有 ${rest.length} 项未填写，不能结束检查`);
    expect(problem.detail).toContain(rest.join('、'));
    expect(problem.detail).not.toMatch(/unanswered|not answered/);
    expect(await roundNow(id)).toMatchObject({ status: 'open', results: [] });

    const en = await call(s.app, 'POST', `/api/inspections/${id}/results?lang=en`, {
      as: 'sup-wang',
      body: { results: [{ itemId: first, result: 'pass' }], finish: true },
    });
    expect(en.status).toBe(422);
    expect(((await en.json()) as { detail: string }).detail).toContain(
      `${rest.length} of ${daily.length} items are not answered yet`,
    );

    // Walked in parts, it finishes once the last item comes.
    const part = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: rest.map((itemId) => ({ itemId, result: 'pass' })), finish: false },
    });
    expect(part.status).toBe(200);
    const done = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-smith',
      body: { results: [{ itemId: first, result: 'na' }] },
    });
    expect(done.status).toBe(200);
    expect(((await done.json()) as InspectionRound).status).toBe('completed');
  });

  it('a client talking to Temporal directly is refused by the update validator, with the items', async () => {
    const id = await openRound();
    const [first, ...rest] = daily;
    const handle = s.deps.temporal.workflow.getHandle(id);
    const err: unknown = await handle
      .executeUpdate(recordChecksUpdate, {
        args: [{ by: 'sup-wang', results: [{ itemId: first!, result: 'pass' }], finish: true }],
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(InspectionRoundFailure.Unanswered);
    expect((cause as ApplicationFailure).details?.[0]).toEqual(rest);
    expect(await handle.query(inspectionRoundQuery)).toMatchObject({ status: 'open', results: [] });
  });

  it('two supervisors each finishing their half at once do not end the round between them', async () => {
    const id = await openRound();
    const half = Math.ceil(daily.length / 2);
    const post = (as: string, items: string[]) =>
      call(s.app, 'POST', `/api/inspections/${id}/results`, {
        as,
        body: { results: items.map((itemId) => ({ itemId, result: 'pass' })), finish: true },
      });
    const both = await Promise.all([
      post('sup-wang', daily.slice(0, half)),
      post('sup-smith', daily.slice(half)),
    ]);
    // Each half alone leaves the other unanswered, and a refused finish records nothing.
    expect(both.map((r) => r.status)).toEqual([422, 422]);
    const round = await s.deps.temporal.workflow.getHandle(id).query(inspectionRoundQuery);
    expect(round).toMatchObject({ status: 'open', results: [] });
  });

  it('the page finishing on a stored row that says more than the round knows gets the round’s refusal', async () => {
    const id = await openRound();
    const stored = await roundNow(id);
    // The row the page reads claims every item answered; the round's workflow has none of them.
    await saveRound(store(), {
      ...stored,
      results: daily.map((itemId) => ({ itemId, result: 'pass', by: 'sup-wang', at: stored.due })),
    });
    const res = await postChecklist(id, [
      ...daily.map((itemId): [string, string] => [`${itemId}.result`, 'pass']),
      ['finish', 'true'],
    ]);
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain(`还有 ${daily.length - 1} 项未填写，不能结束检查`);
    expect(itemBlock(page, daily[1]!)).toContain('尚未填写');
    expect(page).not.toContain('unanswered');
    const round = await s.deps.temporal.workflow.getHandle(id).query(inspectionRoundQuery);
    expect(round.status).toBe('open');
  });
});

describe('inspection checklist: a round finishes once', () => {
  it('of four identical finishes posted at once one completes the round; the others repeat it (200) and its completedAt stays', async () => {
    const id = await openRound();
    const [failed, ...passed] = daily;
    // A failed item keeps the first finish running (its case is opened) while the others arrive.
    const results = [
      { itemId: failed, result: 'fail', note: '灭火器过期' },
      ...passed.map((itemId) => ({ itemId, result: 'pass' })),
    ];
    const finish = (as: string) =>
      call(s.app, 'POST', `/api/inspections/${id}/results`, { as, body: { results, finish: true } });
    const answers = await Promise.all(['sup-wang', 'sup-smith', 'sup-wang', 'sup-smith'].map(finish));
    // Refused by the round while the first finish ran, or after it, each repeats what it finished,
    // as the same finish sent again afterwards is answered.
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const rounds = (await Promise.all(answers.map((r) => r.json()))) as InspectionRound[];
    const won = rounds[0]!;
    expect(won.completedAt).toBeDefined();
    for (const r of rounds) expect(r).toMatchObject({ status: 'completed', completedAt: won.completedAt });
    const ended = await s.deps.temporal.workflow.getHandle(id).result();
    expect(ended).toMatchObject({ status: 'completed', completedAt: won.completedAt });
    expect(Object.keys(ended.cases)).toEqual([failed]);
    expect(await roundNow(id)).toMatchObject({ status: 'completed', completedAt: won.completedAt });
  });

  it('a finish waits for a save still opening its cases: nothing lands on the round after it completed', async () => {
    const id = await openRound();
    const [failed, ...rest] = daily;
    // The save's failed item keeps it running (its case is opened) while the finish arrives.
    const save = call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [{ itemId: failed, result: 'fail', note: '保存时的说明' }], finish: false },
    });
    await new Promise((r) => setTimeout(r, 30));
    // The finisher saw it fixed: every item passes, so the finish itself opens no case and is quick.
    const finishBody = () => ({
      results: [failed, ...rest].map((itemId) => ({ itemId, result: 'pass' })),
      finish: true,
    });
    const finish = call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-smith',
      body: finishBody(),
    });
    const [saved, finished] = await Promise.all([save, finish]);
    expect(saved.status).toBe(200);
    // Refused while the save ran, or after it: the failed item's case is open then, and the case
    // handles it (a pass sent over it would hide the failure).
    expect(finished.status).toBe(409);
    // sup-smith reads English (his directory language; no Accept-Language).
    expect(((await finished.json()) as { detail: string }).detail).toMatch(
      /another post to this round is still being saved|Cases were opened for failed items, so their results can no longer be changed/,
    );
    // Finished again once the save is done, leaving the failed item to its case.
    const again = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-smith',
      body: { results: rest.map((itemId) => ({ itemId, result: 'pass' })), finish: true },
    });
    expect(again.status).toBe(200);
    const completed = (await again.json()) as InspectionRound;
    // The round as the finish completed it is the round for good: the save did not land after it
    // (before, the save's failure replaced the finish's pass on the completed round).
    const ended = (await s.deps.temporal.workflow.getHandle(id).result()) as InspectionRound;
    expect(ended.status).toBe('completed');
    expect(ended.results).toEqual(completed.results);
    expect(ended.results.find((r) => r.itemId === failed)).toMatchObject({
      result: 'fail',
      note: '保存时的说明',
    });
  });
});

describe('inspection checklist: a post that fails part way keeps what it did', () => {
  it('records each failed item whose case opened, before a later item’s case cannot be opened', async () => {
    const id = await openRound();
    const [first, second, third] = daily;
    const handle = s.deps.temporal.workflow.getHandle(id);
    const post = (roomId?: string) =>
      handle.executeUpdate(recordChecksUpdate, {
        args: [
          {
            by: 'sup-wang',
            finish: false,
            results: [
              { itemId: first!, result: 'fail', note: '灭火器过期' },
              // A client talking to Temporal directly: no API checked this room first.
              { itemId: second!, result: 'fail', note: '通道堵塞', ...(roomId ? { roomId } : {}) },
              { itemId: third!, result: 'pass' },
            ],
          },
        ],
      });
    const err: unknown = await post('NO-SUCH-ROOM').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(
      InspectionRoundFailure.BadEntry,
    );
    // The first item's case exists: its result is on the round, stored, without the post repeated.
    const stored = await roundNow(id);
    const caseId = stored.cases[first!];
    expect(caseId).toMatch(/^ZG-/);
    expect(Object.keys(stored.cases)).toEqual([first]);
    expect(stored.results).toEqual([
      expect.objectContaining({ itemId: first, result: 'fail', note: '灭火器过期', by: 'sup-wang' }),
    ]);
    expect((await s.deps.temporal.workflow.getHandle(caseId!).describe()).status.name).toBe('RUNNING');
    expect((await handle.query(inspectionRoundQuery)).results.map((r) => r.itemId)).toEqual([first]);

    // Repeated with the room put right: the first item keeps its one case, the rest are recorded.
    const after = await post();
    expect(after.cases[first!]).toBe(caseId);
    expect(Object.keys(after.cases).sort()).toEqual([first, second].sort());
    expect(after.results.map((r) => r.itemId).sort()).toEqual([first, second, third].sort());
  });
});

describe('inspection checklist: the room is held to the safe-text rule', () => {
  const bad: [string, string][] = [
    ['a control character', '\u0000A103'],
    ['a character that was not UTF-8', 'A1\uFFFD03'],
    ['zero-width characters only', '\u200b\u200b'],
    ['a line break', 'A1\n03'],
    ['more than 32 characters', 'A'.repeat(33)],
  ];
  it.each(bad)('refuses a roomId with %s on the API, naming the field', async (_, roomId) => {
    const id = await openRound();
    const res = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [{ itemId: '6t.safety.1', result: 'pass', roomId }], finish: false },
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors.map((e) => e.field)).toContain('results.0.roomId');
    expect((await roundNow(id)).results).toEqual([]);
  });

  it('says why beside the item on the page, in its language', async () => {
    const id = await openRound();
    const zh = await postChecklist(id, [
      ['6t.safety.1.result', 'pass'],
      ['6t.safety.1.roomId', 'A1\u000003'],
      ['finish', 'false'],
    ]);
    expect(zh.status).toBe(400);
    expect(itemBlock(await zh.text(), '6t.safety.1')).toContain('房间：包含不可见的控制字符');
    const en = await postChecklist(
      id,
      [
        ['6t.safety.1.result', 'pass'],
        ['6t.safety.1.roomId', '\u200b'],
        ['finish', 'false'],
      ],
      { query: '?lang=en' },
    );
    expect(en.status).toBe(400);
    expect(itemBlock(await en.text(), '6t.safety.1')).toContain('Room: has only invisible characters');
    expect((await roundNow(id)).results).toEqual([]);
  });
});

describe('inspection checklist: a case that cannot be opened is said in the page’s language', () => {
  it('keeps the worker’s English reason out of the lead, on the page and the API', async () => {
    const id = await openRound();
    const lead = (html: string) =>
      /<div [^>]*class="flash error" role="alert" data-problem="">([^<]*)<\/div>/.exec(html)?.[1];
    // The directory changes after the page checked it: nobody in it is staff any more.
    await saveDirectory(s.deps.aws.ddb, s.deps.aws.tables, {
      ...s.dir,
      people: s.dir.people.map((p) => ({ ...p, roles: p.roles.filter((r) => r !== 'staff') })),
    });
    try {
      const failed: [string, string][] = [
        ['6t.safety.1.result', 'fail'],
        ['6t.safety.1.note', '灭火器过期'],
        ['finish', 'false'],
      ];
      const zh = await postChecklist(id, failed);
      expect(zh.status).toBe(422);
      const zhPage = await zh.text();
      // The page's language only; what the worker said is not in it.
      expect(lead(zhPage)).toMatch(/^未能为不合格项立案，本次提交未保存/);
      expect(lead(zhPage)).not.toContain('A case could not be opened');
      expect(lead(zhPage)).not.toContain('the directory has no staff');
      // The worker's own words are there for whoever looks into it, apart from the lead.
      expect(zhPage).toMatch(/<details data-technical="">[\s\S]*the directory has no staff/);
      expect(itemBlock(zhPage, '6t.safety.1')).toContain('灭火器过期');

      const en = await postChecklist(id, failed, { query: '?lang=en' });
      expect(en.status).toBe(422);
      const enLead = lead(await en.text());
      expect(enLead).toMatch(/^A case could not be opened for a failed item/);
      expect(enLead).not.toContain('未能为不合格项立案');
      expect(enLead).not.toContain('the directory has no staff');

      const api = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
        as: 'sup-wang',
        body: { results: [{ itemId: '6t.safety.1', result: 'fail', note: '灭火器过期' }], finish: false },
      });
      expect(api.status).toBe(422);
      const problem = (await api.json()) as { detail: string; errors: { field: string; message: string }[] };
      expect(problem.detail).toContain('未能为不合格项立案');
      expect(problem.detail).not.toContain('the directory has no staff');
      expect(problem.errors).toEqual([{ field: 'results', message: 'the directory has no staff' }]);
      expect(await roundNow(id)).toMatchObject({ results: [], cases: {} });
    } finally {
      await saveDirectory(s.deps.aws.ddb, s.deps.aws.tables, s.dir);
    }
  });
});

describe('inspection checklist: notes are held to the safe-text rule', () => {
  it('refuses a note of zero-width characters or with a bidi override and NUL, naming the item', async () => {
    const id = await openRound();
    const zw = await postChecklist(id, [
      ['6t.safety.1.result', 'fail'],
      ['6t.safety.1.note', '\u200b\u200b\u200b'],
      ['finish', 'false'],
    ]);
    expect(zw.status).toBe(400);
    const zwPage = await zw.text();
    expect(itemBlock(zwPage, '6t.safety.1')).toContain('备注：只有不可见字符，请输入内容');
    // The banner names the item too, and what is wrong with it.
    expect(zwPage).toMatch(
      /请修改下面标出的 1 项，本次提交未保存。<\/p><ul class="summary-links"><li data-field="6t\.safety\.1"><a href="#item-6t\.safety\.1">安全 1 [^<]* — 备注：只有不可见字符，请输入内容<\/a>/,
    );

    const hostile = await postChecklist(id, [
      ['6t.safety.1.result', 'fail'],
      ['6t.safety.1.note', '\u202eliame\u0000x'],
      ['finish', 'false'],
    ]);
    expect(hostile.status).toBe(400);
    expect(itemBlock(await hostile.text(), '6t.safety.1')).toContain('备注：包含不可见的控制字符');

    const bidi = await postChecklist(
      id,
      [
        ['6t.safety.1.result', 'fail'],
        ['6t.safety.1.note', '\u202eliame'],
        ['finish', 'false'],
      ],
      { query: '?lang=en' },
    );
    expect(bidi.status).toBe(400);
    const bidiPage = await bidi.text();
    expect(itemBlock(bidiPage, '6t.safety.1')).toContain('Note: contains text-direction override characters');
    // The English page says it in English only, as its other texts.
    expect(itemBlock(bidiPage, '6t.safety.1')).toMatch(
      /<li>Note: contains text-direction override characters[^<]*<\/li>/,
    );
    expect(itemBlock(bidiPage, '6t.safety.1')).not.toContain('文字方向控制字符');

    // Nothing was kept, and no case was opened.
    const round = await roundNow(id);
    expect(round.results).toEqual([]);
    expect(round.cases).toEqual({});

    const api = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [{ itemId: '6t.safety.1', result: 'fail', note: '\u200b\u200b' }], finish: false },
    });
    expect(api.status).toBe(400);
    const problem = (await api.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors).toContainEqual(expect.objectContaining({ field: 'results.0.note' }));
    expect((await roundNow(id)).cases).toEqual({});
  });

  it('takes an ordinary note, emoji and all, and opens the case with it', async () => {
    const id = await openRound();
    const note = `${uniqueId('堆物')} 👍🏽 走廊`;
    const res = await postChecklist(id, [
      ['6t.safety.1.result', 'fail'],
      ['6t.safety.1.note', note],
      ['finish', 'false'],
    ]);
    expect(res.status).toBe(303);
    const round = await roundNow(id);
    expect(round.results[0]).toMatchObject({ itemId: '6t.safety.1', result: 'fail', note });
    expect(round.cases['6t.safety.1']).toMatch(/^ZG-/);
  });
});

describe('inspection checklist: refusals come back on the checklist', () => {
  it('shows a bad result next to its item, with what was typed, and no paths or zod text', async () => {
    const id = await openRound();
    const res = await postChecklist(id, [
      ['6t.safety.1.result', 'bogus'],
      ['6t.safety.1.note', '门锁损坏'],
      ['6t.safety.2.result', 'pass'],
      ['finish', 'false'],
    ]);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    // The whole checklist, not an error page.
    for (const item of daily) expect(page).toContain(`id="item-${item}"`);
    const block = itemBlock(page, '6t.safety.1');
    expect(block).toContain('结果：请选择合格、不合格或不适用');
    expect(block).toContain('门锁损坏');
    expect(itemBlock(page, '6t.safety.2')).toMatch(/value="pass" checked=""/);
    expect(page).not.toContain('results.0');
    expect(page).not.toContain('无效选项');
    expect((await roundNow(id)).results).toEqual([]);

    // A note with no result chosen is not silently dropped.
    const orphan = await postChecklist(id, [
      ['6t.safety.1.note', '门锁损坏'],
      ['6t.safety.2.result', 'pass'],
      ['finish', 'false'],
    ]);
    expect(orphan.status).toBe(400);
    expect(itemBlock(await orphan.text(), '6t.safety.1')).toContain('填写了备注或房间，请同时选择结果');

    // A room the building does not have.
    const room = await postChecklist(id, [
      ['6t.safety.1.result', 'pass'],
      ['6t.safety.1.roomId', 'Z999'],
      ['finish', 'false'],
    ]);
    expect(room.status).toBe(400);
    const roomPage = await room.text();
    expect(itemBlock(roomPage, '6t.safety.1')).toContain('房间：学生公寓A栋没有房间 Z999');
    expect(itemBlock(roomPage, '6t.safety.1')).toContain('value="Z999"');
  });

  it("says an item off the round's checklist in the page's language", async () => {
    const id = await openRound();
    const zh = await postChecklist(id, [
      ['6t.safety.999.result', 'pass'],
      ['6t.safety.1.result', 'pass'],
      ['finish', 'false'],
    ]);
    expect(zh.status).toBe(422);
    const zhPage = await zh.text();
    expect(zhPage).toContain('本次提交未保存：6t.safety.999 不在本次检查的清单上（页面可能已过时）');
    expect(zhPage).not.toContain("not on this round's checklist");
    expect(itemBlock(zhPage, '6t.safety.1')).toMatch(/value="pass" checked=""/);

    const en = await postChecklist(
      id,
      [
        ['6t.safety.999.result', 'pass'],
        ['finish', 'false'],
      ],
      {
        query: '?lang=en',
      },
    );
    expect(en.status).toBe(422);
    expect(await en.text()).toContain(
      'Nothing was saved: 6t.safety.999 is not on this round&#39;s checklist (the page may be out of date)',
    );

    // The JSON API gets the workflow's refusal in the caller's language too.
    const api = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [{ itemId: '6t.safety.999', result: 'pass' }], finish: false },
    });
    expect(api.status).toBe(422);
    expect(((await api.json()) as { detail: string }).detail).toBe('不在本次检查的清单上：6t.safety.999');
    expect((await roundNow(id)).results).toEqual([]);
  });
});

describe('inspection checklist: a failed item’s room brings its floor onto the case', () => {
  /** A page session of sup-wang's, for the case list at /app/cases. */
  const session = async () => {
    const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    return `rectify_session=${sess.id}`;
  };
  /** The case numbers on the first page of /app/cases with this query. */
  const listed = async (cookie: string, query: string): Promise<string[]> => {
    const html = await (await s.app.request(`/app/cases?${query}`, { headers: { cookie } })).text();
    // Not the search box's own value (the number searched for) nor links keeping the query.
    return html.replace(/(?:value|href)="[^"]*"/g, '').match(/ZG-\d{4}-\d{6}/g) ?? [];
  };

  it('a room typed on the page opens a case on the room’s floor, found by floor and by room', async () => {
    const id = await openRound();
    const note = uniqueId('门口堆放杂物');
    const res = await postChecklist(id, [
      ['6t.safety.1.result', 'fail'],
      ['6t.safety.1.note', note],
      ['6t.safety.1.roomId', 'A203'],
      ['finish', 'false'],
    ]);
    expect(res.status).toBe(303);
    const caseId = (await roundNow(id)).cases['6t.safety.1'];
    expect(caseId).toMatch(/^ZG-/);
    const view = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    expect(((await view.json()) as { location: unknown }).location).toEqual({
      buildingId: 'bldg-a',
      floorId: 'a-f2',
      roomId: 'A203',
    });
    // The round keeps what was typed; the floor is the case's.
    expect((await roundNow(id)).results[0]).toMatchObject({ roomId: 'A203' });

    const cookie = await session();
    // The list is written as the case starts: wait for it there, by its number, first.
    for (let i = 0; i < 100 && !(await listed(cookie, `q=${caseId}`)).includes(caseId!); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await listed(cookie, `q=${caseId}`)).toContain(caseId);
    // Narrowed by its number too: other files' cases on these shared tables fill the first pages.
    const only = `q=${caseId}&buildingId=bldg-a`;
    expect(await listed(cookie, `${only}&floorId=a-f2`)).toContain(caseId);
    expect(await listed(cookie, `${only}&floorId=a-f2&roomId=A203`)).toContain(caseId);
    expect(await listed(cookie, `${only}&roomId=A203`)).toContain(caseId);
    expect(await listed(cookie, `${only}&floorId=a-f1`)).not.toContain(caseId);
  });

  it('a room sent to the API without its floor opens the case on the room’s floor', async () => {
    const id = await openRound();
    const res = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: {
        results: [{ itemId: '6t.safety.2', result: 'fail', note: '通道堵塞', roomId: 'A107' }],
        finish: false,
      },
    });
    expect(res.status).toBe(200);
    const caseId = (await roundNow(id)).cases['6t.safety.2'];
    const view = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    expect(((await view.json()) as { location: unknown }).location).toEqual({
      buildingId: 'bldg-a',
      floorId: 'a-f1',
      roomId: 'A107',
    });
  });

  it('a room typed in lower case is the directory’s room, on the case and the round; the page links the case and the workbench', async () => {
    const id = await openRound();
    const res = await postChecklist(
      id,
      [
        ['6t.safety.1.result', 'fail'],
        ['6t.safety.1.note', uniqueId('门口堆放杂物')],
        ['6t.safety.1.roomId', 'a 203'],
        ['finish', 'false'],
      ],
      { query: '?lang=en' },
    );
    expect(res.status).toBe(303);
    const round = await roundNow(id);
    expect(round.results[0]).toMatchObject({ roomId: 'A203' });
    const caseId = round.cases['6t.safety.1']!;
    const view = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    expect(((await view.json()) as { location: unknown }).location).toEqual({
      buildingId: 'bldg-a',
      floorId: 'a-f2',
      roomId: 'A203',
    });
    const page = await (await getPage(id, '?lang=en')).text();
    expect(page).toContain('<a href="/app?lang=en" data-back="">← Back to the workbench</a>');
    expect(itemBlock(page, '6t.safety.1')).toContain(
      `<a href="/app/cases/${caseId}?lang=en" data-case="${caseId}">`,
    );
    expect(itemBlock(page, '6t.safety.1')).toContain('value="A203"');
  });

  it('refuses a room of another building, naming the room and the building, and opens nothing', async () => {
    const id = await openRound();
    const page = await postChecklist(id, [
      ['6t.safety.1.result', 'fail'],
      ['6t.safety.1.note', '消防通道堆放杂物'],
      ['6t.safety.1.roomId', 'B101'],
      ['finish', 'false'],
    ]);
    expect(page.status).toBe(400);
    const block = itemBlock(await page.text(), '6t.safety.1');
    expect(block).toContain('房间：学生公寓A栋没有房间 B101');
    expect(block).toContain('value="B101"');

    const api = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      headers: { 'accept-language': 'en' },
      body: {
        results: [{ itemId: '6t.safety.1', result: 'fail', note: '通道堵塞', roomId: 'B101' }],
        finish: false,
      },
    });
    expect(api.status).toBe(422);
    const problem = (await api.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors).toEqual([{ field: 'results.0.roomId', message: 'Dormitory A has no room B101' }]);

    // A room on another floor than the one given is refused too, naming the floor.
    const floor = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: {
        results: [
          { itemId: '6t.safety.1', result: 'fail', note: '通道堵塞', floorId: 'a-f1', roomId: 'A203' },
        ],
        finish: false,
      },
    });
    expect(floor.status).toBe(422);
    expect(((await floor.json()) as { errors: unknown }).errors).toEqual([
      { field: 'results.0.roomId', message: '学生公寓A栋 1层没有房间 A203' },
    ]);
    expect(await roundNow(id)).toMatchObject({ results: [], cases: {} });
  });
});

describe('inspection results take only the keys they know', () => {
  it.each([
    [
      'a result item with a key it does not know',
      { results: [{ itemId: '6t.safety.1', result: 'pass', zz: 1 }] },
      'results.0',
    ],
    [
      'a body with a key it does not know',
      { results: [{ itemId: '6t.safety.1', result: 'pass' }], finsh: true },
      '(body)',
    ],
  ])('refuses %s with 400 "is not a field here", recording nothing', async (_what, body, field) => {
    const id = await openRound();
    const res = await call(s.app, 'POST', `/api/inspections/${id}/results?lang=en`, { as: 'sup-wang', body });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors.find((e) => e.field === field)?.message).toMatch(/is not a field here/);
    expect(await roundNow(id)).toMatchObject({ status: 'open', results: [] });
  });
});

describe('the checklist page’s language is chosen as /app chooses it', () => {
  const langOf = async (res: Response) => {
    expect(res.status).toBe(200);
    return /<html lang="([^"]+)"/.exec(await res.text())?.[1];
  };

  it('?lang=, then the rectify_lang cookie, then Accept-Language, then the person’s setting', async () => {
    const id = await openRound();
    const page = `/inspection/${id}`;
    // sup-wang's directory setting is Chinese; he switched /app to English.
    const session = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const cookie = `rectify_session=${session.id}`;
    expect(await langOf(await s.app.request(page, { headers: { cookie } }))).toBe('zh-CN');
    const english = `${cookie}; rectify_lang=en`;
    expect(await langOf(await s.app.request(page, { headers: { cookie: english } }))).toBe('en');
    expect(await langOf(await s.app.request(page, { headers: { cookie, 'accept-language': 'en-US' } }))).toBe(
      'en',
    );
    const asked = await s.app.request(`${page}?lang=zh-CN`, { headers: { cookie: english } });
    expect(asked.headers.get('set-cookie')).toContain('rectify_lang=zh-CN');
    expect(await langOf(asked)).toBe('zh-CN');
    // A bearer token and nothing else: the person's own setting (sup-smith reads English).
    expect(await langOf(await call(s.app, 'GET', page, { as: 'sup-smith' }))).toBe('en');
    expect(await langOf(await getPage(id))).toBe('zh-CN');

    // What the form refuses comes back in the cookie's language too.
    const refused = await s.app.request(page, {
      method: 'POST',
      headers: { cookie: english, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([
        ['_csrf', session.csrfToken],
        ['6t.safety.1.note', 'no result chosen'],
        ['finish', 'false'],
      ]).toString(),
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('a note or room was given: choose a result too');
  });
});

describe('the checklist page is in the app shell', () => {
  it('signed in, it carries the menu for the person’s roles, the language switch and sign-out', async () => {
    const id = await openRound();
    const session = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const res = await s.app.request(`/inspection/${id}?lang=en`, {
      headers: { cookie: `rectify_session=${session.id}`, accept: 'text/html' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // One shell, one document: the menu with a supervisor's pages, not the page's own <html>.
    expect(html.match(/<html/g)).toHaveLength(1);
    const nav = html.slice(html.indexOf('<nav class="main"'), html.indexOf('</nav>'));
    for (const href of ['/app', '/app/cases', '/app/dashboard', '/zero-report', '/duties'])
      expect(nav).toContain(`href="${href}"`);
    expect(nav).not.toContain('/app/admin/directory');
    // Sign-out posts with the session's token; the switch keeps the reader on the checklist.
    expect(html).toMatch(
      new RegExp(
        `<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${session.csrfToken}"/>`,
      ),
    );
    expect(html).toContain('Sign out');
    expect(html).toContain(`href="/inspection/${id}?lang=zh-CN"`);
    expect(html).toContain('<h1>Daily inspection Dormitory A');
    // The checklist's own form still posts to the page, with the session's token.
    expect(html).toContain(`<form method="post" action="/inspection/${id}?lang=en"`);
    expect(html).toContain(`id="item-${daily[0]}"`);
  });

  it('with a bearer token, the same page without the menu or a sign-out it could not use', async () => {
    const id = await openRound();
    const html = await (await getPage(id)).text();
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).not.toContain('<nav class="main"');
    expect(html).not.toContain('action="/logout"');
    expect(html).toContain('<a href="/app" data-back="">');
    expect(html).toContain(`<form method="post" action="/inspection/${id}"`);
  });
});
