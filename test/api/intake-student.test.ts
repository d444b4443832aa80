import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { placeCode } from '../../domain/places.ts';
import { createSession } from '../../store/sessions.ts';
import { getReport } from '../../store/reports.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

/**
 * A student who scans the code on the wall, on a phone behind the campus NAT: a fire is never
 * refused by the hourly limit, every refusal and a safety report's page say what to do in
 * immediate danger, a double tap counts once, and the tracking page's answers lead back to it.
 */
let s: ApiStack;

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

// Rate windows outlive a run (the tables are shared, the windows an hour long): an address of its own each time.
const freshAddress = () =>
  `10.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 250)}`;
const roomCode = (roomId: string) => placeCode({ buildingId: 'bldg-b', floorId: 'b-f2', roomId });
const FIRE = '宿舍走廊着火冒烟！';
const EMERGENCY_ZH = '如遇紧急危险，请立即拨打校园保卫处电话或 119。';
const EMERGENCY_EN = 'In immediate danger, call campus security or 119 at once.';

/** The app with these per-address limits, and a per-place one out of the way (places are shared by files). */
const appWith = (perAddress: number) =>
  createApp({
    ...s.deps,
    env: {
      ...s.deps.env,
      INTAKE_REPORTS_PER_ADDRESS_HOUR: perAddress,
      INTAKE_REPORTS_PER_PLACE_HOUR: 100_000,
    },
  });

function post(
  app: ReturnType<typeof createApp>,
  code: string,
  fields: Record<string, string>,
  o: { ip: string; photos?: File[] },
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const p of o.photos ?? []) form.append('photo', p);
  return Promise.resolve(
    app.request(`/r/${code}`, { method: 'POST', body: form, headers: { 'x-forwarded-for': o.ip } }),
  );
}

/** The abuse limits count in clock-hour windows: a burst must not straddle two. */
async function awayFromHourEdge(): Promise<void> {
  const intoHour = Date.now() % 3_600_000;
  if (intoHour > 3_600_000 - 90_000) await new Promise((r) => setTimeout(r, 3_600_000 - intoHour + 1_000));
}

const tokenOf = (res: Response) =>
  /^\/t\/([A-Za-z0-9_-]{32})\?new=1$/.exec(res.headers.get('location') ?? '')?.[1];

describe('a safety-hazard report and the hourly limits', () => {
  it('is kept when the network used up its allowance, and the refusal says what to do in danger', async () => {
    await awayFromHourEdge();
    const app = appWith(2);
    const ip = freshAddress();
    const code = roomCode('B203');
    for (const i of [1, 2])
      expect((await post(app, code, { kind: 'repair', description: `灯坏了 ${i}` }, { ip })).status).toBe(
        303,
      );
    const refused = await post(app, code, { kind: 'repair', description: '灯坏了 3' }, { ip });
    expect(refused.status).toBe(429);
    const page = await refused.text();
    expect(page).toContain('同一网络一小时内最多提交 2 份报告');
    // Said plainly, not as a muted hint.
    expect(page).toMatch(
      /<p data-emergency[^>]*><strong>如遇紧急危险，请立即拨打校园保卫处电话或 119。<\/strong>/,
    );
    expect(page).toContain('安全隐患报告不受此限制');

    // The fire, with a photo, from the same network: kept, and its page says what not to wait for.
    const fire = await post(
      app,
      code,
      { kind: 'safety', description: FIRE },
      { ip, photos: [new File([fakeFiles.jpeg()], 'smoke.jpg', { type: 'image/jpeg' })] },
    );
    expect(fire.status).toBe(303);
    const token = tokenOf(fire)!;
    const confirmation = await (await app.request(`/t/${token}?new=1`)).text();
    expect(confirmation).toMatch(/<p class="flash error" data-emergency[^>]*><strong>如遇紧急危险/);
    expect(await (await app.request(`/t/${token}?new=1&lang=en`)).text()).toContain(EMERGENCY_EN);
    // A report of another kind says nothing of it.
    const other = await post(
      appWith(5),
      code,
      { kind: 'repair', description: '水龙头滴水' },
      { ip: freshAddress() },
    );
    expect(await (await app.request(`/t/${tokenOf(other)!}?new=1`)).text()).not.toContain('data-emergency');
  });

  it('has a ceiling of its own, ten times the address limit, and its refusal says what to do in danger', async () => {
    await awayFromHourEdge();
    const app = appWith(1);
    const ip = freshAddress();
    const code = roomCode('B204');
    for (let i = 0; i < 10; i++)
      expect((await post(app, code, { kind: 'safety', description: `${FIRE} ${i}` }, { ip })).status).toBe(
        303,
      );
    const over = await post(app, code, { kind: 'safety', description: `${FIRE} 10` }, { ip, photos: [] });
    expect(over.status).toBe(429);
    const page = await over.text();
    expect(page).toContain('同一网络一小时内最多提交 10 份安全隐患报告');
    expect(page).toContain(EMERGENCY_ZH);
    expect(page).toContain(FIRE);
    // The ordinary allowance is its own: the safety reports did not use it.
    expect((await post(app, code, { kind: 'repair', description: '门坏了' }, { ip })).status).toBe(303);
  });

  it('the form says what to do in immediate danger beside the safety choice, in either language', async () => {
    const zh = await (await s.app.request(`/r/${roomCode('B205')}`)).text();
    expect(zh).toContain('aria-describedby="safety-hint"');
    expect(zh).toMatch(/<p class="hint" id="safety-hint" data-emergency[^>]*>如遇紧急危险/);
    expect(zh).toContain('投诉（员工服务）');
    const en = await (await s.app.request(`/r/${roomCode('B205')}?lang=en`)).text();
    expect(en).toContain(EMERGENCY_EN);
    expect(en).toContain('Complaint about staff');
  });
});

describe('a double tap', () => {
  it('of a form with a photo keeps one report and counts it once against the hourly limit', async () => {
    await awayFromHourEdge();
    const app = appWith(3);
    const ip = freshAddress();
    const code = roomCode('B206');
    const fields = { kind: 'repair', description: '衣柜门掉了', submissionKey: randomUUID() };
    // One photo, sent by both taps (fakeFiles makes new bytes each call: a different photo is an edit).
    const bytes = fakeFiles.jpeg(64 * 1024);
    const photo = () => new File([bytes], 'door.jpg', { type: 'image/jpeg' });
    const [a, b] = await Promise.all([
      post(app, code, fields, { ip, photos: [photo()] }),
      post(app, code, fields, { ip, photos: [photo()] }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.get('location')).toBe(b.headers.get('location'));
    // Two of the three left: the double tap took one.
    for (const i of [1, 2])
      expect((await post(app, code, { kind: 'repair', description: `另一个问题 ${i}` }, { ip })).status).toBe(
        303,
      );
    expect((await post(app, code, { kind: 'repair', description: '再一个' }, { ip })).status).toBe(429);
  });

  it('of a form refused for a correction does not hold up the corrected one', async () => {
    const app = appWith(5);
    const ip = freshAddress();
    const code = roomCode('B207');
    const key = randomUUID();
    expect(
      (await post(app, code, { kind: 'bogus', description: '门锁坏了', submissionKey: key }, { ip })).status,
    ).toBe(400);
    const started = Date.now();
    const fixed = await post(
      app,
      code,
      { kind: 'repair', description: '门锁坏了', submissionKey: key },
      { ip },
    );
    expect(fixed.status).toBe(303);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('the tracking page', () => {
  it('a survey refused whole links back to the report’s page', async () => {
    const res = await post(
      s.app,
      roomCode('B208'),
      { kind: 'repair', description: '窗户关不上' },
      {
        ip: freshAddress(),
      },
    );
    const token = tokenOf(res)!;
    const early = await s.app.request(`/t/${token}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attitude: '5', quality: '5', cleanup: '5' }),
    });
    expect(early.status).toBe(409);
    const html = await early.text();
    expect(html).toContain('处理完成后才能评价。');
    expect(html).toContain(`href="/t/${token}"`);
  });

  it('gives a withdrawal reason written in both languages in the reader’s', async () => {
    const res = await post(
      s.app,
      roomCode('B209'),
      { kind: 'cleanliness', description: '走廊有垃圾' },
      {
        ip: freshAddress(),
      },
    );
    const token = tokenOf(res)!;
    const reportId = /RP-[0-9A-Z]{10}/.exec(await (await s.app.request(`/t/${token}`)).text())![0];
    const sess = await createSession(s.deps.aws, { personId: 'sup-li', via: 'link' });
    const triaged = await s.app.request(`/app/triage/${reportId}`, {
      method: 'POST',
      headers: { cookie: `rectify_session=${sess.id}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        action: 'case',
        assigneeId: 'staff-wu',
        severity: 'routine',
        _csrf: sess.csrfToken,
      }),
    });
    expect(triaged.status).toBe(303);
    const caseId = (await getReport(s.deps.aws, reportId))!.caseId!;
    const withdrawn = await call(s.app, 'POST', `/api/cases/${caseId}/withdraw`, {
      as: 'sup-li',
      body: { reason: '报告人已自行清理 / The reporter cleaned it up' },
    });
    expect(withdrawn.status).toBe(200);
    const reason = async (q: string) =>
      /<p data-withdrawal-reason[^>]*>([\s\S]*?)<\/p>/.exec(
        await (await s.app.request(`/t/${token}${q}`)).text(),
      )?.[1];
    await expect.poll(() => reason(''), { timeout: 10_000 }).toBe('原因：报告人已自行清理');
    expect(await reason('?lang=en')).toBe('Reason: The reporter cleaned it up');
  });
});
