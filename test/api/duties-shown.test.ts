import { farDay, startDutyStack, type DutyStack } from '../support/duty-stack.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOccurrence } from '../../store/duties.ts';
import { createSession } from '../../store/sessions.ts';
import { call, postForm, type ApiStack } from './harness.ts';

/**
 * What a duty takes and what its pages tell a reader: evidence the duty does not ask for is
 * refused (the API names the field and the kinds it takes; the form offers none), lists say the
 * due time and the owners by name, the detail page when reminders go, and evidence reads with
 * the reader's own colon. Own tables and a day of its own far ahead.
 */
const DATE = farDay();
const POSTS = `duty.standing-posts.bldg-a.${DATE}`;
const CHECK = `duty.daily-equipment-check.bldg-a.${DATE}`;
let s: ApiStack;
let duty: DutyStack | undefined;

beforeAll(async () => {
  duty = await startDutyStack('duty-shown', DATE, ['bldg-a'], ['standing-posts', 'daily-equipment-check']);
  s = duty.s;
  expect([...duty.ids].sort()).toEqual([CHECK, POSTS].sort());
});
afterAll(async () => {
  await duty?.stop();
});

const completions = async (id: string) =>
  (await getOccurrence({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables }, id))?.completions ?? [];
async function signedIn(personId: string) {
  const session = await createSession(s.deps.aws, { personId, via: 'link' });
  return { cookie: `rectify_session=${session.id}`, csrf: session.csrfToken };
}
interface Problem {
  detail: string;
  errors?: { field: string; message: string }[];
}

describe('evidence a duty does not ask for', () => {
  it('is refused by the API with a 422 naming the field and the kinds the duty takes, recording nothing', async () => {
    const roster = await call(s.app, 'POST', `/api/duties/occurrences/${POSTS}/completions?lang=zh-CN`, {
      as: 'staff-lee',
      body: { part: 'noon', minutes: 40, evidence: [{ kind: 'roster', ref: 'x' }] },
    });
    expect(roster.status).toBe(422);
    expect(roster.headers.get('content-type')).toContain('application/problem+json');
    const p = (await roster.json()) as Problem;
    expect(p.detail).toBe('该职责不收佐证材料，请不要附核对名单（kind: roster）');
    expect(p.errors).toEqual([{ field: 'evidence.0.kind', message: p.detail }]);

    const photo = await call(s.app, 'POST', `/api/duties/occurrences/${CHECK}/completions?lang=en`, {
      as: 'sup-wang',
      body: {
        evidence: [
          { kind: 'record', ref: 'records/1.pdf' },
          { kind: 'photo', ref: 'p/1.jpg' },
        ],
      },
    });
    expect(photo.status).toBe(422);
    const q = (await photo.json()) as Problem;
    expect(q.detail).toBe(
      'this duty takes no photos (kind: photo); the evidence it takes: check record (kind: record)',
    );
    expect(q.errors).toEqual([
      {
        field: 'evidence.1.kind',
        message:
          'this duty takes no photos (kind: photo); the evidence it takes: check record (kind: record)',
      },
    ]);
    expect(await completions(POSTS)).toEqual([]);
    expect(await completions(CHECK)).toEqual([]);

    // Without it, the same completion is taken.
    const ok = await call(s.app, 'POST', `/api/duties/occurrences/${POSTS}/completions`, {
      as: 'staff-lee',
      body: { part: 'noon', minutes: 40 },
    });
    expect(ok.status).toBe(200);
    expect(await completions(POSTS)).toMatchObject([{ part: 'noon', evidence: [] }]);
  });

  it('is not offered by the form, and a form that sends it anyway is refused', async () => {
    const { cookie, csrf } = await signedIn('staff-qian');
    const page = await (await s.app.request(`/duties/${POSTS}?lang=zh-CN`, { headers: { cookie } })).text();
    expect(page).toContain(`<form method="post" action="/duties/${POSTS}"`);
    expect(page).not.toContain('name="evidence.');
    const res = await postForm(
      s.app,
      `/duties/${POSTS}?lang=zh-CN`,
      { _csrf: csrf, part: 'evening', minutes: '35', 'evidence.roster': 'rosters/a.xlsx' },
      { cookie },
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('该职责不收佐证材料，请不要附核对名单');
    expect((await completions(POSTS)).map((c) => c.part)).toEqual(['noon']);
  });
});

describe('the duty pages', () => {
  it('list each duty with its due time and its owners by name, the rate over those done or missed', async () => {
    const range = `from=${DATE}&to=${DATE}`;
    const board = await (await call(s.app, 'GET', `/duties?${range}&lang=zh-CN`, { as: 'wg-chen' })).text();
    expect(board).toMatch(new RegExp(`<td>${DATE} 21:00</td><td>(钱芳、David Lee|David Lee、钱芳)</td>`));
    expect(board).toContain(`<td>${DATE} 18:00</td><td>赵伟</td>`);
    expect(board).toContain('按已完成或已逾期的计');
    expect(board).not.toContain('staff-qian');

    const mine = await (await call(s.app, 'GET', `/duties?${range}&lang=en`, { as: 'staff-lee' })).text();
    expect(mine).toContain(`due ${DATE} 21:00`);
    expect(mine).toMatch(/Owners: (钱芳, David Lee|David Lee, 钱芳)/);
    expect(mine).toContain('of those done or missed');
    const zh = await (await call(s.app, 'GET', `/duties?${range}&lang=zh-CN`, { as: 'staff-lee' })).text();
    expect(zh).toContain(`截止 ${DATE} 21:00`);
    expect(zh).toMatch(/责任人：(钱芳、David Lee|David Lee、钱芳)/);
  });

  it('one duty names its owners and when reminders go; evidence reads with the reader’s colon', async () => {
    const done = await call(s.app, 'POST', `/api/duties/occurrences/${CHECK}/completions`, {
      as: 'staff-zhao',
      body: { evidence: [{ kind: 'record', ref: 'records/check.pdf' }] },
    });
    expect(done.status).toBe(200);
    const zh = await (await call(s.app, 'GET', `/duties/${CHECK}?lang=zh-CN`, { as: 'sup-wang' })).text();
    expect(zh).toContain('责任人：赵伟');
    expect(zh).toContain('截止前 2 小时提醒责任人');
    expect(zh).toContain('检查记录：records/check.pdf');
    expect(zh).not.toContain('检查记录: ');
    const en = await (await call(s.app, 'GET', `/duties/${CHECK}?lang=en`, { as: 'sup-wang' })).text();
    expect(en).toContain('Owners: 赵伟');
    expect(en).toContain('The owners are reminded 2 hours before it is due');
    expect(en).toContain('Check record: records/check.pdf');
  });
});
