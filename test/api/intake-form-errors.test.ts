import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceClient, getEvidence } from '../../store/evidence.ts';
import { placeCode } from '../../domain/places.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The report form sent back to be corrected, as a screen reader on a phone meets it: each error
 * names its field as the field is labelled and is tied to it, and photos the page cannot keep
 * (a file input comes back empty) are said to be gone beside the photo field.
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
// A floor's own code: no other test reports there, and nothing refused here counts against its limit.
const code = placeCode({ buildingId: 'bldg-a', floorId: 'a-f2' });
const jpeg = () => new File([fakeFiles.jpeg()], 'lamp.jpg', { type: 'image/jpeg' });

async function send(fields: Record<string, string>, photos: File[] = [], lang = ''): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const p of photos) form.append('photo', p);
  return s.app.request(`/r/${code}${lang}`, {
    method: 'POST',
    body: form,
    headers: { 'x-forwarded-for': freshAddress() },
  });
}

/** The opening tag of the element with this id, and the text of the elements its aria-describedby names. */
const tagOf = (html: string, pattern: RegExp) => pattern.exec(html)?.[0] ?? '';
function description(html: string, tag: string): string {
  const ids = /aria-describedby="([^"]*)"/.exec(tag)?.[1]?.split(' ') ?? [];
  return ids
    .map((id) => new RegExp(`<[a-z]+ [^>]*id="${id}"[^>]*>([^]*?)</`).exec(html)?.[1] ?? `(no #${id})`)
    .join(' | ');
}
const photoInput = (html: string) => tagOf(html, /<input[^>]*name="photo"[^>]*>/);
const contactHintZh =
  '可填手机号、座机号码（带区号，可加分机，如 010-62751234转123）或电子邮箱。留下邮箱可收到受理和处理结果通知；不留也可凭下一页的跟踪链接查看进度。';

describe('photos of a form sent back to be corrected', () => {
  it('are said to be gone beside the photo field, tied to it, in the reader’s language', async () => {
    const refused = await send({ kind: 'repair', description: '走廊灯不亮', contact: 'bad' }, [
      jpeg(),
      jpeg(),
    ]);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    // What was typed stays; the file input cannot, so the page says so where the photos are chosen.
    expect(html).toContain('走廊灯不亮');
    const said = description(html, photoInput(html));
    expect(said).toContain('照片需重新选择：刚才选的 2 张照片没有随表单保存。');
    expect(html).toContain('请修改下面标出的内容，并重新选择照片后再提交。');

    const en = await (
      await send({ kind: 'repair', description: 'lamp out', contact: 'bad' }, [jpeg()], '?lang=en')
    ).text();
    expect(description(en, photoInput(en))).toContain(
      'Choose the photos again: the photo you chose was not kept with the form.',
    );
  });

  it('a photo refused for itself still says the others must be chosen again', async () => {
    const text = new File([fakeFiles.text()], 'a.txt', { type: 'text/plain' });
    const html = await (await send({ kind: 'repair', description: '门锁坏了' }, [jpeg(), text])).text();
    const said = description(html, photoInput(html));
    expect(said).toContain('只能上传照片');
    expect(said).toContain('照片需重新选择');
    expect(photoInput(html)).toContain('aria-invalid="true"');
  });

  it('says nothing of photos when none were sent', async () => {
    const html = await (await send({ kind: 'repair', description: '门锁坏了', contact: 'bad' })).text();
    expect(html).not.toContain('照片需重新选择');
    expect(html).not.toContain('data-photos-again');
    expect(description(html, photoInput(html))).toBe('可拍照或从相册选择');
  });
});

describe('the contact field of a fresh form', () => {
  it('says it takes a landline as well as a mobile or an email, tied to the field, in either language', async () => {
    for (const [lang, label, hint] of [
      [
        '',
        '手机号、座机或电子邮箱（选填）',
        /^可填手机号、座机号码（带区号，可加分机，如 010-62751234转123）或电子邮箱。/,
      ],
      [
        '?lang=en',
        'Mobile, landline or email (optional)',
        /^A mobile number, a landline number \(with its area code/,
      ],
    ] as const) {
      const html = await (await s.app.request(`/r/${code}${lang}`)).text();
      expect(html).toContain(`<label for="contact">${label}</label>`);
      const contact = tagOf(html, /<input[^>]*name="contact"[^>]*>/);
      expect(contact).not.toContain('aria-invalid');
      expect(description(html, contact)).toMatch(hint);
    }
  });
});

describe('the errors of a form sent back to be corrected', () => {
  it('name the contact field as it is labelled, in either language', async () => {
    const html = await (await send({ kind: 'repair', description: '门锁坏了', contact: 'bad' })).text();
    const contact = tagOf(html, /<input[^>]*name="contact"[^>]*>/);
    expect(contact).toContain('aria-invalid="true"');
    // What the field takes, then what is wrong: a screen reader hears both on the field.
    expect(description(html, contact)).toBe(
      `${contactHintZh} | 手机号、座机或电子邮箱：不是有效的手机号、座机号码或电子邮箱`,
    );
    expect(html).toContain('<label for="contact">手机号、座机或电子邮箱（选填）</label>');
    expect(html).not.toContain('联系方式：');

    const en = await (
      await send({ kind: 'repair', description: 'lock broken', contact: 'bad' }, [], '?lang=en')
    ).text();
    expect(description(en, tagOf(en, /<input[^>]*name="contact"[^>]*>/))).toMatch(
      /^A mobile number, a landline number .* \| Mobile, landline or email: not a mobile number, a landline number or an email address$/,
    );
    expect(en).toContain('<label for="contact">Mobile, landline or email (optional)</label>');
  });

  it('tie the missing kind to the group of choices it is about', async () => {
    const html = await (await send({ description: '门锁坏了' })).text();
    const group = tagOf(html, /<fieldset[^>]*>\s*<legend>问题类型<\/legend>/);
    expect(group).toContain('aria-invalid="true"');
    expect(description(html, group)).toBe('问题类型：请选择问题类型');
    // A kind chosen: the group is not marked.
    const fine = await (await send({ kind: 'repair', description: '门锁坏了', contact: 'bad' })).text();
    expect(tagOf(fine, /<fieldset[^>]*>\s*<legend>问题类型<\/legend>/)).toBe(
      '<fieldset><legend>问题类型</legend>',
    );
  });
});

describe('a description longer than the form takes', () => {
  const textarea = (html: string) => tagOf(html, /<textarea[^>]*name="description"[^>]*>/);

  it('is sent whole (no maxlength to cut a paste) and refused with how many characters it has', async () => {
    const res = await send({ kind: 'repair', description: '灯'.repeat(2345) });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(textarea(html)).not.toContain('maxlength');
    expect(description(html, textarea(html))).toBe('问题描述：最多 2000 个字（现有 2345 个），请删减');

    const en = await (await send({ kind: 'repair', description: 'x'.repeat(2001) }, [], '?lang=en')).text();
    expect(description(en, textarea(en))).toBe(
      'Description: at most 2000 characters (this has 2001); shorten it',
    );
  });

  it('past what is read at all, still says how many it has', async () => {
    const html = await (await send({ kind: 'repair', description: '灯'.repeat(9000) })).text();
    expect(html).toContain('问题描述：最多 2000 个字（现有 9000 个），请删减');
  });
});

describe('the summary over a form sent back to be corrected', () => {
  /** The focused summary: where the keyboard lands, titled as an error. */
  const summaryOf = (html: string) =>
    /<div tabindex="-1" autofocus=""[^>]*data-error-summary[^>]*>[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

  it('takes the focus, is titled 错误：, and links each field in error to its control', async () => {
    const html = await (await send({ description: '门锁坏了', contact: 'bad' })).text();
    expect(html).toMatch(/<title>错误：报告问题/);
    const summary = summaryOf(html);
    expect(summary).toContain('role="alert"');
    expect(summary).toContain(
      '<a href="#contact">手机号、座机或电子邮箱：不是有效的手机号、座机号码或电子邮箱</a>',
    );
    expect(summary).toContain('<a href="#kind">问题类型：请选择问题类型</a>');
    // Each link's target is on the page: the first kind carries the group's id.
    expect(html).toMatch(/<input type="radio" id="kind" name="kind"/);
    expect(html).toContain('id="contact"');
  });

  it('in English too', async () => {
    const en = await (
      await send({ kind: 'repair', description: 'x', contact: 'bad' }, [], '?lang=en')
    ).text();
    expect(en).toMatch(/<title>Error: Report a problem/);
    expect(summaryOf(en)).toContain(
      '<a href="#contact">Mobile, landline or email: not a mobile number, a landline number or an email address</a>',
    );
  });
});

describe('an empty photo chosen on the form', () => {
  it('is refused, naming the file and saying it is empty, the other photos to be chosen again', async () => {
    const empty = new File([], 'IMG_0042.jpg', { type: 'image/jpeg' });
    const res = await send({ kind: 'repair', description: '走廊灯不亮' }, [jpeg(), empty]);
    expect(res.status).toBe(400);
    const html = await res.text();
    const said = description(html, photoInput(html));
    expect(said).toContain('「IMG_0042.jpg」是空文件（0 字节）');
    expect(said).toContain('照片需重新选择：刚才选的 2 张照片没有随表单保存。');
    expect(photoInput(html)).toContain('aria-invalid="true"');
    expect(html).toContain('<a href="#photo">照片：「IMG_0042.jpg」是空文件');
    expect(html).toContain('走廊灯不亮');

    const en = await (await send({ kind: 'repair', description: 'lamp out' }, [empty], '?lang=en')).text();
    expect(description(en, photoInput(en))).toContain('“IMG_0042.jpg” is an empty file (0 bytes)');
  });

  it('a photo field left empty (one nameless part with no bytes) is no photo and no error', async () => {
    const none = new File([], '', { type: 'application/octet-stream' });
    const html = await (
      await send({ kind: 'repair', description: '门锁坏了', contact: 'bad' }, [none])
    ).text();
    expect(photoInput(html)).not.toContain('aria-invalid');
    expect(html).not.toContain('data-photos-again');
    expect(html).not.toContain('空文件');
  });
});

describe('a report whose second photo cannot be stored', () => {
  it('leaves no photo behind: the first, stored already, is removed before the answer', async () => {
    const client = evidenceClient(s.deps.env);
    const real = client.send.bind(client) as (cmd: unknown) => Promise<unknown>;
    const stored: string[] = [];
    // The store refuses the second photo's bytes, after the first was stored.
    const failing = async (cmd: unknown): Promise<unknown> => {
      if (cmd instanceof PutObjectCommand) {
        if (stored.length === 1) throw new Error('store unavailable (test)');
        stored.push(cmd.input.Key ?? '');
      }
      return real(cmd);
    };
    Object.assign(client, { send: failing });
    let res: Response;
    try {
      res = await send({ kind: 'repair', description: '两张照片的报告' }, [jpeg(), jpeg()]);
    } finally {
      // The prototype's own again.
      delete (client as { send?: unknown }).send;
    }
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(stored).toHaveLength(1);
    const key = stored[0] ?? '';
    expect(key).toMatch(/^sealed\/evidence\/[^/]+\/ev_/);
    // The bytes and the record of the photo that was stored are gone.
    await expect(
      client.send(new HeadObjectCommand({ Bucket: s.deps.env.EVIDENCE_BUCKET, Key: key })),
    ).rejects.toThrow();
    const evidenceId = /\/(ev_[A-Za-z0-9_-]{16})\./.exec(key)?.[1] ?? '';
    expect(await getEvidence(s.deps, evidenceId)).toBeNull();
  });
});

describe('the public pages that refuse outright', () => {
  it('a code that names no place: titled 错误：, its message where the keyboard lands', async () => {
    const res = await s.app.request('/r/NOPLACE1', { headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toMatch(/<title>错误：未找到该地点/);
    expect(html).toMatch(
      /<p tabindex="-1" autofocus="" data-error-summary[^>]*class="flash error" role="alert">这个二维码对应的地点不存在/,
    );
  });
});
