import { describe, expect, it } from 'vitest';
import { checkStep, type Actor, type CasePolicy, type CaseView } from '../../domain/case-model.ts';
import { supervisedBy, withSupervision, type Directory } from '../../domain/directory.ts';

const policy = { supervisorIds: ['sup-wang'] } as Pick<CasePolicy, 'supervisorIds'> as CasePolicy;
const view = {
  stage: 'reviewing',
  round: 1,
  location: { buildingId: 'bldg-a' },
  assigneeId: 'staff-zhou',
  responsibleId: 'staff-zhou',
} as Partial<CaseView> as CaseView;
const supervisor = (id: string, supervises?: string[]): Actor => ({
  id,
  roles: ['supervisor'],
  via: 'api',
  ...(supervises ? { supervises } : {}),
});
const dir = {
  buildings: [
    { id: 'bldg-a', supervisorIds: ['sup-wang', 'sup-li'] },
    { id: 'bldg-b', supervisorIds: ['sup-li'] },
  ],
} as unknown as Pick<Directory, 'buildings'>;

describe('who supervises a case', () => {
  it('the supervisors pinned when the case opened', () => {
    expect(checkStep('review', supervisor('sup-wang'), view, policy)).toBeNull();
  });

  it("a supervisor of the case's building now, appointed after it opened", () => {
    expect(checkStep('review', supervisor('sup-li', ['bldg-b', 'bldg-a']), view, policy)).toBeNull();
  });

  it('not a supervisor of another building, nor one without the supervisor role', () => {
    expect(checkStep('review', supervisor('sup-li', ['bldg-b']), view, policy)?.kind).toBe('forbidden');
    expect(checkStep('review', supervisor('sup-li'), view, policy)?.kind).toBe('forbidden');
    const staff: Actor = { id: 'staff-zhou', roles: ['staff'], supervises: ['bldg-a'] };
    expect(checkStep('review', staff, view, policy)?.kind).toBe('forbidden');
  });

  it('withSupervision adds the buildings the directory has now, and nothing when there are none', () => {
    expect(supervisedBy(dir, 'sup-li')).toEqual(['bldg-a', 'bldg-b']);
    expect(withSupervision(dir, supervisor('sup-li'))).toEqual(supervisor('sup-li', ['bldg-a', 'bldg-b']));
    const staff: Actor = { id: 'staff-zhou', roles: ['staff'] };
    expect(withSupervision(dir, staff)).toBe(staff);
  });
});
