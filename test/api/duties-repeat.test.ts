import { farDay, startDutyStack, type DutyStack } from '../support/duty-stack.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DutyOccurrence } from '../../domain/duties.ts';
import { getOccurrence } from '../../store/duties.ts';
import { call, type ApiStack } from './harness.ts';

/**
 * Duty completions sent again are counted once; the calendar pages through `limit` and `cursor`;
 * the duty pages name buildings as people do; a bad occurrence id is refused in the caller's
 * language. Own tables, and a day of its own far ahead (random: the workflow ids are the
 * occurrences', in the namespace every file shares), so the occurrences stay open.
 */
const DATE = farDay();
const POSTS = `duty.standing-posts.bldg-a.${DATE}`;
let s: ApiStack;
let ids: string[];

let duty: DutyStack | undefined;

beforeAll(async () => {
  duty = await startDutyStack(
    'duty-repeat',
    DATE,
    ['bldg-a', 'bldg-b'],
    ['standing-posts', 'daily-equipment-check'],
  );
  s = duty.s;
  ids = duty.ids;
  expect(ids).toHaveLength(4);
  expect(ids).toContain(POSTS);
});
afterAll(async () => {
  await duty?.stop();
});

const store = () => ({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables });
const complete = (body: unknown, as = 'sup-wang') =>
  call(s.app, 'POST', `/api/duties/occurrences/${POSTS}/completions`, { as, body });
/** What the completion route answers: the occurrence, and whether the completion was on record already. */
type Answer = DutyOccurrence & { duplicate: boolean };
const partsDone = (o: DutyOccurrence) => Object.fromEntries(o.progress.map((p) => [p.key, p.done]));

describe('a completion sent again', () => {
  it('is counted once: the second answer is the occurrence as it stands', async () => {
    const body = { part: 'morning', minutes: 30, note: '早高峰立岗' };
    const first = await complete(body);
    expect(first.status).toBe(200);
    expect(((await first.json()) as Answer).duplicate).toBe(false);
    const again = await complete(body);
    expect(again.status).toBe(200);
    const o = (await again.json()) as Answer;
    // Told apart from a completion recorded now.
    expect(o.duplicate).toBe(true);
    expect(partsDone(o)).toMatchObject({ morning: 1 });
    expect(o.completions).toHaveLength(1);
    expect((await getOccurrence(store(), POSTS))?.completions).toHaveLength(1);
  });

  it('is counted once when two arrive at once (the run decides)', async () => {
    const body = { part: 'noon', minutes: 40, note: '午高峰立岗' };
    const both = await Promise.all([complete(body), complete(body), complete(body)]);
    expect(both.map((r) => r.status)).toEqual([200, 200, 200]);
    // One was recorded; the other two, whether the API or the run found it on record, say so.
    const answers = await Promise.all(both.map(async (r) => ((await r.json()) as Answer).duplicate));
    expect(answers.sort()).toEqual([false, true, true]);
    const o = await getOccurrence(store(), POSTS);
    expect(o && partsDone(o)).toMatchObject({ morning: 1, noon: 1 });
    expect(o?.completions).toHaveLength(2);
  });

  it('still answers 200 with the occurrence once the duty is complete, not a 409', async () => {
    const body = { part: 'evening', minutes: 30 };
    expect((await complete(body)).status).toBe(200);
    expect((await getOccurrence(store(), POSTS))?.status).toBe('completed');
    const again = await complete(body);
    expect(again.status).toBe(200);
    expect((await again.json()) as Answer).toMatchObject({ duplicate: true, completions: { length: 3 } });
    // Something new on a completed duty is still refused.
    expect((await complete({ part: 'evening', minutes: 31 })).status).toBe(409);
  });
});

describe('the compliance calendar', () => {
  const list = (query: string, as = 'wg-chen') =>
    call(s.app, 'GET', `/api/duties/occurrences?${query}`, { as });
  interface Page {
    occurrences: (DutyOccurrence & { buildingName?: { zh: string; en: string } })[];
    nextCursor: string | null;
    completion: { den: number };
  }

  it('pages through limit and cursor, every occurrence once, in due order', async () => {
    const whole = (await (await list(`from=${DATE}&to=${DATE}`)).json()) as Page;
    expect(whole.occurrences.map((o) => o.occurrenceId).sort()).toEqual([...ids].sort());
    expect(whole.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await list(`from=${DATE}&to=${DATE}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      expect(page.occurrences.length).toBeLessThanOrEqual(1);
      seen.push(...page.occurrences.map((o) => o.occurrenceId));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(whole.occurrences.map((o) => o.occurrenceId));
  });

  it('refuses a cursor from other filters, a cursor that is not one, and a limit out of range', async () => {
    const first = (await (await list(`from=${DATE}&to=${DATE}&limit=1`)).json()) as Page;
    expect(first.nextCursor).not.toBeNull();
    const other = await list(`from=${DATE}&to=${DATE}&limit=1&status=open&cursor=${first.nextCursor}`);
    expect(other.status).toBe(400);
    expect(((await other.json()) as { detail: string }).detail).toContain('筛选条件不同');
    expect((await list(`from=${DATE}&to=${DATE}&cursor=nonsense`)).status).toBe(400);
    expect((await list(`limit=0`)).status).toBe(400);
    expect((await list(`limit=201`)).status).toBe(400);
  });

  it('names each building as people do, in JSON and on the pages', async () => {
    const whole = (await (await list(`from=${DATE}&to=${DATE}&buildingId=bldg-a`)).json()) as Page;
    expect(whole.occurrences[0]?.buildingName).toEqual({ zh: '学生公寓A栋', en: 'Dormitory A' });
    const zh = await (
      await call(s.app, 'GET', `/duties?buildingId=bldg-a&from=${DATE}&to=${DATE}`, {
        as: 'sup-wang',
        headers: { 'accept-language': 'zh-CN' },
      })
    ).text();
    expect(zh).toContain('学生公寓A栋');
    expect(zh).not.toContain('>bldg-a<');
    const en = await (await call(s.app, 'GET', `/duties/${POSTS}?lang=en`, { as: 'sup-wang' })).text();
    expect(en).toContain('Dormitory A ·');
    expect(en).not.toContain('bldg-a ·');
    // Completions by name and in campus time, not ids and UTC instants.
    expect(en).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    expect(en).not.toContain(' sup-wang ');
  });
});

describe('a malformed occurrence id', () => {
  it('is refused with 400 in the caller’s language', async () => {
    const zh = await call(s.app, 'GET', '/api/duties/occurrences/not-a-duty', { as: 'sup-wang' });
    expect(zh.status).toBe(400);
    const zhText = JSON.stringify(await zh.json());
    expect(zhText).toContain('须为职责实例编号');
    expect(zhText).not.toContain('must be a duty occurrence id');
    const en = await call(s.app, 'GET', '/api/duties/occurrences/not-a-duty?lang=en', { as: 'sup-wang' });
    expect(en.status).toBe(400);
    const enText = JSON.stringify(await en.json());
    expect(enText).toContain('must be a duty occurrence id such as duty.manager-round.bldg-a.2026-12-04');
    expect(enText).not.toContain('须为职责实例编号');
  });
});

describe('a part recorded more often than it needs', () => {
  it('reads as met, with the count said apart, not as 2/1', async () => {
    const other = `duty.standing-posts.bldg-b.${DATE}`;
    for (const note of ['早高峰立岗（东门）', '早高峰立岗（西门）']) {
      const res = await call(s.app, 'POST', `/api/duties/occurrences/${other}/completions`, {
        as: 'sup-li',
        body: { part: 'morning', minutes: 30, note },
      });
      expect(res.status).toBe(200);
    }
    const page = async (lang: string) =>
      (await (await call(s.app, 'GET', `/duties/${other}?lang=${lang}`, { as: 'sup-li' })).text())
        .replace(/<style[\s\S]*?<\/style>/g, '')
        .replace(/<[^>]+>/g, ' ');
    const zh = await page('zh-CN');
    expect(zh).toMatch(/1\/1（共登记 2 次）/);
    expect(zh).not.toMatch(/ 2\/1/);
    expect(await page('en')).toMatch(/1\/1 \(2 recorded\)/);
  });
});
