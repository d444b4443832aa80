import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyViewDelta, viewDelta, ViewDeltaMismatch } from '../../domain/view-delta.ts';

const entry = fc.record({
  at: fc.string(),
  action: fc.constantFrom('detected', 'signed_off', 'closed'),
  round: fc.nat(3),
});
const view = fc.record(
  {
    version: fc.nat(100),
    stage: fc.constantFrom('analysing', 'rectifying', 'closed'),
    title: fc.string(),
    timeline: fc.array(entry, { maxLength: 8 }),
    deadlines: fc.array(
      fc.record({ due: fc.string(), state: fc.constantFrom('pending', 'met', 'breached') }),
      {
        maxLength: 4,
      },
    ),
    rootCause: fc.option(fc.record({ plan: fc.string(), causes: fc.array(fc.string(), { maxLength: 3 }) }), {
      nil: undefined,
    }),
    stuck: fc.option(fc.array(fc.string(), { maxLength: 2 }), { nil: undefined }),
  },
  { requiredKeys: ['version', 'stage', 'title', 'timeline', 'deadlines'] },
);
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('view deltas', () => {
  it('turn any view into any other', () => {
    fc.assert(
      fc.property(view, view, (a, b) => {
        const prev = json(a);
        const next = json(b);
        const delta = json(viewDelta(prev, next));
        expect(applyViewDelta(prev, delta)).toEqual(next);
      }),
      { numRuns: 500 },
    );
  });

  it('carry only the new tail of a list a step appended to, and nothing of what stayed', () => {
    const prev = json({
      version: 4,
      stage: 'analysing',
      title: '3 号楼漏水',
      timeline: [{ action: 'detected' }, { action: 'assigned' }],
      deadlines: [{ due: 'd1', state: 'pending' }],
    });
    const next = json({
      ...prev,
      version: 5,
      stage: 'awaiting_signoff',
      timeline: [...prev.timeline, { action: 'root_cause_submitted' }],
      deadlines: [
        { due: 'd1', state: 'met', closedAt: 'c1' },
        { due: 'd2', state: 'pending' },
      ],
      rootCause: { plan: '换阀门' },
    });
    const delta = viewDelta(prev, next);
    expect(delta).toEqual({
      base: 4,
      set: {
        version: 5,
        stage: 'awaiting_signoff',
        deadlines: next.deadlines,
        rootCause: { plan: '换阀门' },
      },
      unset: [],
      tail: { timeline: { from: 2, items: [{ action: 'root_cause_submitted' }] } },
    });
    expect(JSON.stringify(delta).length).toBeLessThan(JSON.stringify(next).length);
    const grown = json({
      ...next,
      version: 6,
      deadlines: [...next.deadlines, { due: 'd3', state: 'pending' }],
    });
    expect(viewDelta(next, grown).tail.deadlines).toEqual({
      from: 2,
      items: [{ due: 'd3', state: 'pending' }],
    });
  });

  it('names fields that are gone, and shortens lists', () => {
    const prev = json({ version: 1, stuck: ['x1'], timeline: [1, 2, 3] });
    const next = json({ version: 2, timeline: [1, 2] });
    const delta = viewDelta(prev, next);
    expect(delta.unset).toEqual(['stuck']);
    expect(delta.tail.timeline).toEqual({ from: 2, items: [] });
    expect(applyViewDelta(prev, delta)).toEqual(next);
  });

  it('refuse a view at another version, or a list too short to continue', () => {
    const prev = json({ version: 3, timeline: [1, 2, 3] });
    const delta = viewDelta(prev, json({ version: 4, timeline: [1, 2, 3, 4] }));
    expect(() => applyViewDelta({ version: 2, timeline: [1, 2, 3] }, delta)).toThrow(ViewDeltaMismatch);
    expect(() => applyViewDelta({ version: 3, timeline: [1] }, delta)).toThrow(ViewDeltaMismatch);
    expect(() => applyViewDelta({ version: 3 }, delta)).toThrow(ViewDeltaMismatch);
    // The view applied to is left as it was.
    const kept = json(prev);
    applyViewDelta(prev, delta);
    expect(prev).toEqual(kept);
  });
});
