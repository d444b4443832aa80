import { describe, expect, it } from 'vitest';
import { directorySizeText } from '../../api/pages/app/admin.tsx';
import { chainsFailingText, chainsIntactText } from '../../api/pages/app/audit-results.tsx';
import { answeredText } from '../../api/pages/app/workbench.tsx';
import type { Directory } from '../../domain/directory.ts';

// Page lines whose English counted with a bare plural ("All 1 audit chains", "1 people").
describe('English counts on the audit, workbench and admin pages', () => {
  it('agree with their noun and verb', () => {
    expect(chainsIntactText(1).en).toBe('The 1 audit chain is intact');
    expect(chainsIntactText(1258).en).toBe('All 1,258 audit chains are intact');
    expect(chainsFailingText(1, 3).en).toBe('1 of 3 cases fails verification');
    expect(chainsFailingText(2, 1258).en).toBe('2 of 1,258 cases fail verification');
    expect(answeredText(0, 1).en).toBe('0 of 1 item answered');
    expect(answeredText(3, 38).en).toBe('3 of 38 items answered');
    const dir = {
      campus: { name: { zh: '本校', en: 'Campus' } },
      people: [{}],
      buildings: [{}, {}],
      departments: [{}],
    } as unknown as Directory;
    expect(directorySizeText(dir).en).toBe('Campus: 1 person, 2 buildings, 1 department.');
  });

  it('keep the Chinese as it was', () => {
    expect(chainsIntactText(3).zh).toBe('全部 3 个案件的审计链完整');
    expect(chainsFailingText(1, 3).zh).toBe('3 个案件中有 1 个未通过校验');
    expect(answeredText(3, 38).zh).toBe('已填写 3/38 项');
  });
});
