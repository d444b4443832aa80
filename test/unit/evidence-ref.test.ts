import { describe, expect, it } from 'vitest';
import { notesWithoutEvidence } from '../../domain/evidence-ref.ts';

const ref = (c: string) => `evidence:ev_${c.repeat(16)}#sha256=${'3b'.repeat(32)}`;

describe('notesWithoutEvidence', () => {
  it('takes the review form’s photo line out of the notes and hands back the photos', () => {
    const notes = `地面仍有积水\n\n复查照片 / Review photos: ${ref('a')} ${ref('b')}`;
    expect(notesWithoutEvidence(notes)).toEqual({ text: '地面仍有积水', refs: [ref('a'), ref('b')] });
  });

  it('keeps the words around a reference typed into the notes', () => {
    expect(notesWithoutEvidence(`见 ${ref('a')} 左上角\n第二行`)).toEqual({
      text: '见 左上角\n第二行',
      refs: [ref('a')],
    });
  });

  it('leaves notes without references as they are, and photos alone as no words', () => {
    expect(notesWithoutEvidence('  合格 \n')).toEqual({ text: '  合格 \n', refs: [] });
    expect(notesWithoutEvidence(`复查照片 / Review photos: ${ref('c')}`)).toEqual({
      text: '',
      refs: [ref('c')],
    });
  });
});
