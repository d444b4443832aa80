import { describe, expect, it } from 'vitest';
import { caseViewSchema } from '../../api/schemas.ts';

/** A link signature as the API answers it: who was signed in on the browser is audit evidence. */
describe('a sign-off’s link signature in the case view', () => {
  const signOff = {
    decision: 'confirm',
    by: 'staff-lee',
    at: '2026-03-02T06:05:00.000Z',
    round: 1,
    signature: { tokenId: 't1', ip: '10.0.0.1', textHash: 'abc', sessionPersonId: 'staff-zhou' },
  };

  it('keeps the person signed in on the browser that signed', () => {
    const [parsed] = caseViewSchema.shape.signOffs.parse([signOff]);
    expect(parsed?.signature?.sessionPersonId).toBe('staff-zhou');
  });

  it('still reads a signature without one', () => {
    const { sessionPersonId: _, ...plain } = signOff.signature;
    const [parsed] = caseViewSchema.shape.signOffs.parse([{ ...signOff, signature: plain }]);
    expect(parsed?.signature).toEqual(plain);
  });
});
