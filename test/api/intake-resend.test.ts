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
const s = useApiStack();

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
