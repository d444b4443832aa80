import { describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { getReport } from '../../store/reports.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';
import { useApiStack, waitForEmail } from './harness.ts';

/**
 * Back after sending a report serves a fresh form (a new submission key) that the browser refills
 * with what was typed: sending it again answers the first report's tracking page, with no second
 * report and no second mail. A different description from the same place is a new report, and so
 * is one sent again with photos chosen anew (browsers refill the text, not the files).
 */
// Limits well past what the file sends: it is about sameness, and its fixed address outlives a run.
const s = useApiStack({}, { INTAKE_REPORTS_PER_ADDRESS_HOUR: '1000', INTAKE_REPORTS_PER_PLACE_HOUR: '1000' });

const code = placeCode({ buildingId: 'bldg-b', floorId: 'b-f2', roomId: 'B207' });

async function freshKey(): Promise<string> {
  const page = await (await s.app.request(`/r/${code}`)).text();
  return /name="submissionKey" value="([^"]+)"/.exec(page)![1]!;
}

async function send(fields: Record<string, string>, photos: File[] = []): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...fields, submissionKey: await freshKey() })) form.append(k, v);
  for (const p of photos) form.append('photo', p);
  return s.app.request(`/r/${code}`, {
    method: 'POST',
    body: form,
    headers: { 'x-forwarded-for': '198.51.100.211' },
  });
}

const tokenOf = (res: Response) =>
  /^\/t\/([A-Za-z0-9_-]{32})\?new=1$/.exec(res.headers.get('location') ?? '')?.[1];

describe('the report form sent again after Back', () => {
  it('answers the first report, not a second one, and mails once', async () => {
    const contact = `${uniqueId('student')}@example.org`;
    const first = await send({ kind: 'repair', description: '宿舍门锁坏了，关不上', contact });
    expect(first.status).toBe(303);
    const token = tokenOf(first);
    expect(token).toBeDefined();
    await waitForEmail((e) => e.to.includes(contact) && e.subject.includes('已收到'));

    // The refilled form, its text reflowed by the browser: the same report.
    const again = await send({ kind: 'repair', description: ' 宿舍门锁坏了，关不上\r\n', contact });
    expect(again.status).toBe(303);
    expect(tokenOf(again)).toBe(token);

    // Another problem from the same place and person is a report of its own.
    const other = await send({ kind: 'repair', description: '窗户也关不严', contact });
    expect(other.status).toBe(303);
    expect(tokenOf(other)).not.toBe(token);

    await new Promise((r) => setTimeout(r, 1_500));
    const mails = await sentEmails((e) => e.to.includes(contact) && e.subject.includes('已收到'));
    expect(mails).toHaveLength(2);
  });

  it('answers an anonymous repeat with the first report too', async () => {
    const first = await send({
      kind: 'cleanliness',
      description: 'Bin by the door is overflowing',
      lang: 'en',
    });
    const again = await send({
      kind: 'cleanliness',
      description: 'Bin by the door  is overflowing',
      lang: 'en',
    });
    expect(tokenOf(again)).toBe(tokenOf(first));
    const named = await send({
      kind: 'cleanliness',
      description: 'Bin by the door is overflowing',
      contact: '13800138000',
      lang: 'en',
    });
    expect(tokenOf(named)).not.toBe(tokenOf(first));
  });

  it('answers a repeat whose number was typed another way (grouped, full-width) with the first report', async () => {
    // Words of their own each run: the same-text window outlives a run on the shared tables.
    const description = `楼道灯不亮 ${uniqueId('grouped')}`;
    const first = await send({ kind: 'repair', description, contact: '138 0013 8000' });
    expect(first.status).toBe(303);
    expect(tokenOf(first)).toBeDefined();
    for (const contact of ['13800138000', '１３８-００１３-８０００'])
      expect(tokenOf(await send({ kind: 'repair', description, contact })), contact).toBe(tokenOf(first));
    // Another number is another reporter's report.
    const other = await send({ kind: 'repair', description, contact: '138 0013 8001' });
    expect(tokenOf(other)).toBeDefined();
    expect(tokenOf(other)).not.toBe(tokenOf(first));
  });

  it('keeps a resend that brings photos as a report of its own, photos and all', async () => {
    const contact = `${uniqueId('student')}@example.org`;
    const fields = { kind: 'repair', description: '阳台下水道堵了', contact };
    const first = await send(fields);
    const withPhoto = await send(fields, [new File([fakeFiles.jpeg()], 'drain.jpg', { type: 'image/jpeg' })]);
    expect(withPhoto.status).toBe(303);
    expect(tokenOf(withPhoto)).toBeDefined();
    expect(tokenOf(withPhoto)).not.toBe(tokenOf(first));
    const page = await (await s.app.request(`/t/${tokenOf(withPhoto)!}`)).text();
    const reportId = /RP-[0-9A-Z]{10}/.exec(page)![0];
    expect((await getReport(s.deps.aws, reportId))!.evidence).toHaveLength(1);
    // The same text again without photos still answers the first report.
    const plain = await send(fields);
    expect(tokenOf(plain)).toBe(tokenOf(first));
  });
});

/**
 * The same form's key sent again with other content: the browser kept the hidden key after Back
 * (bfcache), the person changed the text, the kind or added a photo, and sent it. That is what
 * they mean to report now: it is kept as a new report (never answered by the first with the
 * change dropped), whose page names and links the first, which stays as it was. The edit sent
 * twice is one report; the unchanged form sent again is still the first.
 */
describe('the same form sent again with something changed', () => {
  const editCode = placeCode({ buildingId: 'bldg-b', floorId: 'b-f2', roomId: 'B202' });
  const address = `198.51.100.${20 + Math.floor(Math.random() * 200)}`;

  async function sendAs(
    key: string,
    fields: Record<string, string>,
    photos: File[] = [],
    lang = '',
  ): Promise<Response> {
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...fields, submissionKey: key })) form.append(k, v);
    for (const p of photos) form.append('photo', p);
    return s.app.request(`/r/${editCode}${lang}`, {
      method: 'POST',
      body: form,
      headers: { 'x-forwarded-for': address },
    });
  }
  async function keyOfForm(): Promise<string> {
    const page = await (await s.app.request(`/r/${editCode}`)).text();
    return /name="submissionKey" value="([^"]+)"/.exec(page)![1]!;
  }
  /** Where a report's answer points: its tracking token, and the earlier report's it names. */
  function answered(res: Response) {
    expect(res.status).toBe(303);
    const m = /^\/t\/([A-Za-z0-9_-]{32})\?new=1(?:&earlier=([A-Za-z0-9_-]{32}))?$/.exec(
      res.headers.get('location') ?? '',
    );
    expect(m, res.headers.get('location') ?? '').not.toBeNull();
    return { token: m![1]!, earlier: m![2] };
  }
  const reportIdOn = async (token: string) =>
    /RP-[0-9A-Z]{10}/.exec(await (await s.app.request(`/t/${token}`)).text())![0];

  it('keeps the edited text as a new report that names the first; the first stays as sent', async () => {
    const key = await keyOfForm();
    const contact = `${uniqueId('student')}@example.org`;
    const first = answered(await sendAs(key, { kind: 'repair', description: '卫生间灯不亮', contact }));
    expect(first.earlier).toBeUndefined();

    // Sent again unchanged (a double tap, a reload; the text reflowed): the first, nothing new.
    const same = answered(await sendAs(key, { kind: 'repair', description: ' 卫生间灯不亮\r\n', contact }));
    expect(same).toEqual({ token: first.token, earlier: undefined });

    // Back, the text changed, Send: the hidden key is the same, the report is a new one.
    const edited = answered(
      await sendAs(key, { kind: 'repair', description: '卫生间灯不亮，镜前灯也坏了', contact }),
    );
    expect(edited.token).not.toBe(first.token);
    expect(edited.earlier).toBe(first.token);
    const firstId = await reportIdOn(first.token);
    const editedId = await reportIdOn(edited.token);
    expect((await getReport(s.deps.aws, editedId))!.description).toBe('卫生间灯不亮，镜前灯也坏了');
    expect((await getReport(s.deps.aws, firstId))!.description).toBe('卫生间灯不亮');

    // Its page says so, and links the first report's own page.
    const page = await (await s.app.request(`/t/${edited.token}?new=1&earlier=${first.token}`)).text();
    expect(page).toContain(
      `这是一份新报告，内容是您修改后提交的。您之前用同一表单提交的报告 ${firstId} 也已收到，内容保持原样，没有被修改。`,
    );
    expect(page).toContain(`<a href="/t/${first.token}">查看之前的报告 ${firstId}</a>`);
    // The note is only for the page the edit lands on, and only for a report of the same place.
    expect(await (await s.app.request(`/t/${edited.token}`)).text()).not.toContain('data-edit-kept-apart');
    expect(
      await (await s.app.request(`/t/${edited.token}?new=1&earlier=${edited.token}`)).text(),
    ).not.toContain('data-edit-kept-apart');

    // The edit sent twice is one report; the form as first sent still answers the first.
    const editedAgain = answered(
      await sendAs(key, { kind: 'repair', description: '卫生间灯不亮，镜前灯也坏了', contact }),
    );
    expect(editedAgain).toEqual(edited);
    const original = answered(await sendAs(key, { kind: 'repair', description: '卫生间灯不亮', contact }));
    expect(original).toEqual({ token: first.token, earlier: undefined });

    // Each report was told to its reporter once: the first and the edit.
    await new Promise((r) => setTimeout(r, 1_500));
    const mails = await sentEmails((e) => e.to.includes(contact) && e.subject.includes('已收到'));
    expect(mails).toHaveLength(2);
  });

  it('keeps a changed kind or an added photo too; a resend without its photos is still the first', async () => {
    const key = await keyOfForm();
    const description = `暖气片漏水 ${uniqueId('x')}`;
    const bytes = fakeFiles.jpeg();
    const photo = () => new File([bytes], 'leak.jpg', { type: 'image/jpeg' });
    const first = answered(await sendAs(key, { kind: 'repair', description }, [photo()]));
    // The photo sent again, or not refilled by the browser: the first.
    expect(answered(await sendAs(key, { kind: 'repair', description }, [photo()])).token).toBe(first.token);
    expect(answered(await sendAs(key, { kind: 'repair', description })).token).toBe(first.token);

    const safety = answered(await sendAs(key, { kind: 'safety', description }));
    expect(safety.token).not.toBe(first.token);
    expect(safety.earlier).toBe(first.token);
    expect((await getReport(s.deps.aws, await reportIdOn(safety.token)))!.kind).toBe('safety');

    const another = new File([fakeFiles.jpeg()], 'leak-2.jpg', { type: 'image/jpeg' });
    const morePhotos = answered(await sendAs(key, { kind: 'repair', description }, [photo(), another]));
    expect([first.token, safety.token]).not.toContain(morePhotos.token);
    expect((await getReport(s.deps.aws, await reportIdOn(morePhotos.token)))!.evidence).toHaveLength(2);
  });

  it('an edit tapped twice at once is one report', async () => {
    const key = await keyOfForm();
    const bytes = fakeFiles.jpeg();
    const photo = () => new File([bytes], 'sink.jpg', { type: 'image/jpeg' });
    const first = answered(await sendAs(key, { kind: 'repair', description: `水槽堵了 ${uniqueId('x')}` }));
    const edit = { kind: 'repair', description: `水槽堵了，水漫到地上 ${uniqueId('x')}` };
    const [a, b] = await Promise.all([sendAs(key, edit, [photo()]), sendAs(key, edit, [photo()])]);
    const [ea, eb] = [answered(a), answered(b)];
    expect(ea).toEqual(eb);
    expect(ea.token).not.toBe(first.token);
    expect(ea.earlier).toBe(first.token);
  });

  it('a fresh form with the same text and another kind is a report of its own', async () => {
    const description = `楼道有烟味 ${uniqueId('x')}`;
    const first = answered(await sendAs(await keyOfForm(), { kind: 'service', description }));
    const again = answered(await sendAs(await keyOfForm(), { kind: 'service', description }));
    expect(again.token).toBe(first.token);
    const safety = answered(await sendAs(await keyOfForm(), { kind: 'safety', description }));
    expect(safety.token).not.toBe(first.token);
    expect((await getReport(s.deps.aws, await reportIdOn(safety.token)))!.kind).toBe('safety');
  });

  it('says so in English on an English form', async () => {
    const key = await keyOfForm();
    const first = answered(await sendAs(key, { kind: 'repair', description: 'The tap drips', lang: 'en' }));
    const edited = answered(
      await sendAs(key, { kind: 'repair', description: 'The tap drips all night', lang: 'en' }),
    );
    expect(edited.earlier).toBe(first.token);
    const firstId = await reportIdOn(first.token);
    const page = await (
      await s.app.request(`/t/${edited.token}?new=1&earlier=${edited.earlier!}&lang=en`)
    ).text();
    expect(page).toContain(
      `This is a new report, with what you changed. The report you sent earlier from the same form, ${firstId}, was received too and stays as it was sent`,
    );
    expect(page).toContain(`<a href="/t/${first.token}">See the earlier report ${firstId}</a>`);
  });
});
