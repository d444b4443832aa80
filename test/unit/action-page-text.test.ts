import { beforeAll, describe, expect, it } from 'vitest';
import { ActionPage } from '../../api/pages/action-page.tsx';
import { caseActionContent, peopleNamed, place, signerOf } from '../../api/pages/action-statement.ts';
import type { LinkClaims } from '../../domain/link-token.ts';
import type { Lang } from '../../domain/text.ts';
import { demoDirectory } from '../support/stack.ts';
import { view } from '../support/views.ts';

const claims = (recipientId: string): LinkClaims =>
  ({ caseId: 'ZG-2026-000012', step: 'sign_off', action: 'sign_off', round: 1, recipientId }) as LinkClaims;

const signOffCase = view({
  caseId: 'ZG-2026-000012',
  openedAt: '2026-12-06T04:22:01.588Z',
  stage: 'awaiting_signoff',
  title: '顶灯不亮',
  location: { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A202' },
  responsibleId: 'staff-lee',
  rootCause: {
    causes: ['灯管老化', '开关松动'],
    plan: '更换灯管',
    responsibleId: 'staff-lee',
    by: 'sup-smith',
    at: '2026-12-06T05:00:00.000Z',
  },
});

/** The page's text, tags dropped, as a reader sees it (each row's value, then the statement). */
async function pageText(lang: Lang, recipientId: string): Promise<string> {
  const dir = await demoDirectory();
  const content = caseActionContent('sign_off', claims(recipientId), signOffCase, dir);
  const html = String(
    await ActionPage({ lang, content, form: { action: '/actions/t', csrf: 'c', textHash: 'h' } }),
  );
  return html.replace(/<[^>]+>/g, '\n');
}

describe('the sign-off page in the reader language', () => {
  it('gives an English reader the English place names and ASCII punctuation, the Chinese beneath', async () => {
    const text = await pageText('en', 'staff-lee');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    // The place in English first (building and room as the directory names them), the Chinese beneath.
    const at = lines.indexOf('Dormitory A, A202');
    expect(at).toBeGreaterThan(-1);
    expect(lines[at + 1]).toBe('学生公寓A栋 A202');
    expect(text).not.toContain('学生公寓A栋 Dormitory A');
    // Causes listed with the English separator; the statement names the signer in ASCII brackets.
    expect(lines).toContain('灯管老化; 开关松动');
    expect(text).toContain('I, David Lee (staff-lee), have read');
  });

  it('keeps the Chinese reader on Chinese names and punctuation, the English beneath', async () => {
    const lines = (await pageText('zh-CN', 'staff-lee')).split('\n').filter((l) => l.trim() !== '');
    const at = lines.indexOf('学生公寓A栋 A202');
    expect(at).toBeGreaterThan(-1);
    expect(lines[at + 1]).toBe('Dormitory A, A202');
    expect(lines).toContain('灯管老化；开关松动');
  });
});

describe('a person and a place as a statement names them', () => {
  it('uses each language’s brackets and names (the arrival statement too)', async () => {
    const dir = await demoDirectory();
    expect(signerOf('吴磊', 'staff-wu')).toEqual({ zh: '吴磊（staff-wu）', en: '吴磊 (staff-wu)' });
    expect(place(dir, signOffCase)).toEqual({
      zh: '学生公寓A栋 A202',
      en: 'Dormitory A, A202',
    });
    // A place the directory does not know is said by its ids, marked so.
    expect(place(dir, { location: { buildingId: 'bldg-x', floorId: 'x-f1', roomId: 'X1' } })).toEqual({
      zh: 'bldg-x x-f1 X1（已不在名录）',
      en: 'bldg-x, x-f1, X1 (no longer in the directory)',
    });
  });
});

describe('a person the page names who has left the directory', () => {
  const disputed = {
    ...signOffCase,
    stage: 'adjudicating' as const,
    responsibleId: 'staff-gone',
    signOffs: [
      {
        decision: 'dispute' as const,
        reason: '方案不可行',
        by: 'staff-gone',
        at: '2026-12-06T06:00:00.000Z',
        round: 1,
      },
    ],
  };
  let dir: Awaited<ReturnType<typeof demoDirectory>>;
  beforeAll(async () => {
    dir = await demoDirectory();
  });
  const adjudication = (departed?: ReadonlyMap<string, string>) =>
    caseActionContent(
      'adjudication',
      { ...claims('sup-smith'), step: 'adjudication', action: 'adjudicate' } as LinkClaims,
      disputed,
      dir,
      departed,
    );
  it('is named by their last name, said to have left, in each language', async () => {
    const row = (c: ReturnType<typeof adjudication>) =>
      c.rows.find((r) => r.label.en === 'Disputed by')?.value;
    expect(row(adjudication(new Map([['staff-gone', '测试离职员工']])))).toEqual({
      zh: '测试离职员工（已离开名录）',
      en: '测试离职员工 (no longer in the directory)',
    });
    // Nobody knows them: the id, as before.
    expect(row(adjudication())).toBe('staff-gone');
    const html = String(
      await ActionPage({
        lang: 'en',
        content: adjudication(new Map([['staff-gone', '测试离职员工']])),
        form: { action: '/actions/t', csrf: 'c', textHash: 'h' },
      }),
    );
    expect(html).toContain('测试离职员工 (no longer in the directory)');
  });

  it('is the one whose name the page must look up', () => {
    expect(peopleNamed('adjudication', disputed)).toEqual(['staff-gone']);
    expect(peopleNamed('sign_off', signOffCase)).toEqual(['staff-lee']);
    expect(peopleNamed('follow_up', signOffCase)).toEqual([]);
  });
});
