import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { checkEvidence, evidenceClient, getEvidence, parseEvidenceRef } from '../../store/evidence.ts';
import { reportByToken, type Report } from '../../store/reports.ts';
import { fakeFiles, sha256 } from '../support/evidence-files.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The report form as a student's phone sends it: photos the phone named as another type, photos
 * too large, a contact typed on a Chinese keyboard, a code typed with O for 0 or a slash at its
 * end, and a form's key sent to another place's address. Each is taken, or refused with what was
 * typed kept, never lost to a 404, a bare 413 or a 500.
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
// Rooms no other test reports at, so their per-place limits are this file's.
const room = (roomId: string, floorId = 'b-f1') => placeCode({ buildingId: 'bldg-b', floorId, roomId });
const formKey = () => randomBytes(18).toString('base64url');

async function send(path: string, fields: Record<string, string>, photos: File[] = []): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const p of photos) form.append('photo', p);
  return s.app.request(path, { method: 'POST', body: form, headers: { 'x-forwarded-for': freshAddress() } });
}

/** The report a 303 to its tracking page names. */
async function reportOf(res: Response): Promise<Report> {
  expect(res.status, await res.clone().text()).toBe(303);
  // An edit kept as a report of its own names the form's earlier report after it (&earlier=).
  const token = /^\/t\/([A-Za-z0-9_-]{32})\?new=1(?:&|$)/.exec(res.headers.get('location') ?? '')?.[1];
  const report = await reportByToken(s.deps.aws, token ?? '');
  expect(report).not.toBeNull();
  return report!;
}

describe('a photo the phone named or declared as another type', () => {
  it('is kept as the type its bytes are, under that extension, its hash still the stored file’s', async () => {
    const png = fakeFiles.png();
    const webp = fakeFiles.webp();
    const report = await reportOf(
      await send(`/r/${room('B106')}`, { kind: 'repair', description: `水龙头漏水 ${formKey()}` }, [
        new File([png], 'IMG_1001.jpg', { type: 'image/jpeg' }),
        new File([webp], 'IMG_1002.JPG', { type: 'image/jpeg' }),
      ]),
    );
    expect(report.evidence).toHaveLength(2);
    const kept = [
      [png, 'image/png', 'IMG_1001.png'],
      [webp, 'image/webp', 'IMG_1002.webp'],
    ] as const;
    for (const [i, [bytes, type, name]] of kept.entries()) {
      const ref = report.evidence[i]!;
      expect(parseEvidenceRef(ref)?.sha256).toBe(sha256(bytes));
      const record = await getEvidence(s.deps, parseEvidenceRef(ref)!.evidenceId);
      expect(record).toMatchObject({ contentType: type, fileName: name, status: 'confirmed' });
      expect(record?.sealedKey?.endsWith(`.${name.split('.')[1]}.${sha256(bytes)}`)).toBe(true);
      const head = await evidenceClient(s.deps.env).send(
        new HeadObjectCommand({ Bucket: s.deps.env.EVIDENCE_BUCKET, Key: record!.sealedKey }),
      );
      expect(head.ContentType).toBe(type);
      expect(await checkEvidence(s.deps, ref, { caseId: report.reportId })).toMatchObject({ ok: true });
    }
  });

  it('bytes that are no photo are still refused, whatever they are named', async () => {
    const res = await send(`/r/${room('B106')}`, { kind: 'repair', description: '水龙头漏水' }, [
      new File([fakeFiles.text()], 'IMG_1003.jpg', { type: 'image/jpeg' }),
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('只能上传照片（JPEG、PNG 或 WebP）');
    expect(html).toContain('水龙头漏水');
  });
});

describe('a report too large', () => {
  it('three photos over 10 MB each: each photo refused, what was typed kept, the danger hint shown', async () => {
    const big = () => new File([fakeFiles.jpeg(11 * 1024 * 1024)], 'big.jpg', { type: 'image/jpeg' });
    const res = await send(`/r/${room('B107')}`, { kind: 'safety', description: '配电箱冒烟，有焦味' }, [
      big(),
      big(),
      big(),
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('配电箱冒烟，有焦味');
    expect(html).toMatch(/value="safety"[^>]*checked/);
    expect(html).toContain('文件过大（11 MB）');
    expect(html).toContain('照片需重新选择：刚才选的 3 张照片没有随表单保存。');
    expect(html).toContain('119');
  });

  it('a body past any limit: a page that says it was not received, what to do, and this place’s form', async () => {
    const code = room('B107');
    const res = await send(`/r/${code.toLowerCase()}`, { kind: 'safety', description: '配电箱冒烟' }, [
      new File([Buffer.alloc(61 * 1024 * 1024)], 'huge.jpg', { type: 'image/jpeg' }),
    ]);
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('报告未收到');
    expect(html).toContain('请重新填写');
    expect(html).toContain('减少照片或选择较小的照片');
    expect(html).toMatch(/data-emergency[^>]*>.*119/);
    expect(html).toContain(`<a href="/r/${code}">返回报告表单</a>`);
  });
});

describe('a form’s key sent to another place’s address', () => {
  it('keeps a report of that place, and the same form sent there again finds it', async () => {
    const key = formKey();
    const first = await reportOf(
      await send(`/r/${room('B108')}`, { kind: 'repair', description: '门锁坏了', submissionKey: key }),
    );
    expect(first.placeCode).toBe(room('B108'));
    const other = await reportOf(
      await send(`/r/${room('B110')}`, { kind: 'repair', description: '窗户关不上', submissionKey: key }),
    );
    expect(other.placeCode).toBe(room('B110'));
    expect(other.reportId).not.toBe(first.reportId);
    expect(other.description).toBe('窗户关不上');
    // Sent again to that place (a double tap, a reload): its report there.
    const again = await reportOf(
      await send(`/r/${room('B110')}`, { kind: 'repair', description: '窗户关不上', submissionKey: key }),
    );
    expect(again.reportId).toBe(other.reportId);
    // And the first place's form still finds the first report.
    const back = await reportOf(
      await send(`/r/${room('B108')}`, { kind: 'repair', description: '门锁坏了', submissionKey: key }),
    );
    expect(back.reportId).toBe(first.reportId);
    // Other words typed meanwhile are a report of their own there, not dropped for the first.
    const edited = await reportOf(
      await send(`/r/${room('B110')}`, { kind: 'repair', description: '窗户关不上了', submissionKey: key }),
    );
    expect([first.reportId, other.reportId]).not.toContain(edited.reportId);
    expect(edited).toMatchObject({ placeCode: room('B110'), description: '窗户关不上了' });
  });
});

describe('a contact typed on a Chinese keyboard', () => {
  it.each([
    ['１３８００１３８０００', '13800138000'],
    ['(010) 6275-1234', '01062751234'],
    ['010-62751234转123', '01062751234转123'],
    ['（０１０）６２７５－１２３４ 分机 8', '01062751234转8'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['ｚｈａｎｇ＠ｓｔｕｄｅｎｔｓ．ｄｅｍｏ．ｅｄｕ．ｃｎ', 'zhang@students.demo.edu.cn'],
  ])('%s is taken and kept as %s', async (typed, kept) => {
    const report = await reportOf(
      await send(`/r/${room('B103')}`, {
        kind: 'repair',
        description: `灯不亮 ${formKey()}`,
        contact: typed,
      }),
    );
    expect(report.contact).toBe(kept);
  });

  it('the field asks for none of the three alone: no email or tel autofill, no keyboard forced, its label and hint kept', async () => {
    const contactInput = (html: string) => /<input[^>]*\bid="contact"[^>]*>/.exec(html)?.[0] ?? '';
    const fresh = await (await s.app.request(`/r/${room('B103')}`)).text();
    const refused = await (
      await send(`/r/${room('B103')}`, { kind: 'repair', description: '灯不亮', contact: '找宿管' })
    ).text();
    for (const html of [fresh, refused]) {
      const input = contactInput(html);
      expect(input).toContain('name="contact"');
      // `email` would have the browser offer addresses only (`tel` numbers only); a mobile, a
      // landline and an address are all taken here.
      expect(input).not.toMatch(/autocomplete="(?:email|tel|tel-[a-z-]+|username)"/);
      expect(input).toContain('autocomplete="on"');
      // A phone keypad (or the address keyboard) would leave the other unable to be typed.
      expect(input).not.toMatch(/inputmode="(?:tel|email|numeric|decimal)"/);
      expect(input).not.toMatch(/type="(?:email|tel|number)"/);
      // What it takes is still said: its label, and the hint it is described by.
      expect(html).toMatch(/<label for="contact">手机号、座机或电子邮箱/);
      expect(input).toMatch(/aria-describedby="contact-hint\b/);
      expect(html).toContain('id="contact-hint"');
    }
    expect(contactInput(refused)).toContain('aria-invalid="true"');
  });

  it('what is neither a number nor an address is still refused, kept on the form', async () => {
    const res = await send(`/r/${room('B103')}`, {
      kind: 'repair',
      description: '灯不亮',
      contact: '找宿管',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('不是有效的手机号、座机号码或电子邮箱');
    expect(html).toContain('value="找宿管"');
  });
});

describe('a place code as a person types it', () => {
  // B106's code has a 0, B209's a 1 (room() checks they still do).
  it('O for 0, and I or L for 1, name the same place; the form posts to the printed code', async () => {
    const withZero = room('B106');
    const withOne = room('B209', 'b-f2');
    expect(withZero).toContain('0');
    expect(withOne).toContain('1');
    for (const [typed, code] of [
      [withZero.replaceAll('0', 'O'), withZero],
      [withZero.replaceAll('0', 'o').toLowerCase(), withZero],
      [withOne.replaceAll('1', 'I'), withOne],
      [withOne.replaceAll('1', 'l'), withOne],
    ] as const) {
      const res = await s.app.request(`/r/${typed}`);
      expect(res.status, typed).toBe(200);
      expect(await res.text()).toContain(`action="/r/${code}"`);
    }
  });

  it('a slash at the end is sent to the form', async () => {
    const code = room('B106');
    const res = await s.app.request(`/r/${code}/?lang=en`);
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`/r/${code}?lang=en`);
    expect((await s.app.request(res.headers.get('location')!)).status).toBe(200);
  });
});
