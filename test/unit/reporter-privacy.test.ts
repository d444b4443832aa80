import { describe, expect, it } from 'vitest';
import type { Caller } from '../../api/auth.ts';
import { reporterShownTo, viewForReader, withoutContact } from '../../api/reporter-privacy.ts';
import type { CaseView } from '../../domain/case-model.ts';
import type { Directory } from '../../domain/directory.ts';
import { demoDirectory } from '../support/stack.ts';

/**
 * What a case tells each reader of its reporter: staff who only handle the case get no contact,
 * and no name on a complaint about staff; everyone who reads it for another reason gets it all.
 */
const dir: Directory = await demoDirectory();
const caller = (id: string): Caller => {
  const person = dir.people.find((p) => p.id === id)!;
  return { person, actor: { id, roles: person.roles } };
};

const reporter = { name: '王小红', email: 'pj-student@demo.edu.cn', personId: 'stu-1', reportId: 'R-1' };
const complaint = {
  source: 'complaint',
  category: 'staff',
  location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
  assigneeId: 'staff-zhao',
  responsibleId: 'staff-zhou',
  openedBy: 'sup-wang',
} as const;

describe('who sees how much of the reporter', () => {
  it('withholds everything from the staff handling a complaint about staff', () => {
    expect(reporterShownTo(caller('staff-zhao'), dir, complaint)).toBe('none');
    expect(reporterShownTo(caller('staff-zhou'), dir, complaint)).toBe('none');
  });

  it('withholds only the contact from staff handling any other case', () => {
    expect(reporterShownTo(caller('staff-zhao'), dir, { ...complaint, category: 'service' })).toBe(
      'no_contact',
    );
    expect(
      reporterShownTo(caller('staff-zhao'), dir, { ...complaint, source: 'repair', category: 'staff' }),
    ).toBe('no_contact');
  });

  it('shows it all to supervisors, the working group, leadership, auditors, admins and the opener', () => {
    for (const id of ['sup-wang', 'wg-chen', 'lead-huang', 'audit-he', 'admin-xu'])
      expect(reporterShownTo(caller(id), dir, complaint), id).toBe('all');
    expect(reporterShownTo(caller('staff-zhao'), dir, { ...complaint, openedBy: 'staff-zhao' })).toBe('all');
  });
});

describe('the case view for a reader', () => {
  const view = {
    ...complaint,
    reporter,
    timeline: [
      {
        at: 't',
        actorId: 'reporter:pj-student@demo.edu.cn',
        action: 'follow_up_rated',
        stage: 'closed',
        round: 1,
      },
      { at: 't', actorId: 'sup-wang', action: 'detected', stage: 'detected', round: 1 },
    ],
    notices: [
      { kind: 'reminder', stage: 'follow_up', round: 1, at: 't', to: ['reporter:pj-student@demo.edu.cn'] },
    ],
  } as unknown as CaseView;

  it('keeps no email anywhere, and no name on a withheld one', () => {
    const none = viewForReader(view, 'none');
    expect(JSON.stringify(none)).not.toMatch(/pj-student|王小红|stu-1/);
    expect(none.reporter).toEqual({ name: '匿名（已隐去） / Withheld', reportId: 'R-1' });
    expect(none.timeline.map((e) => e.actorId)).toEqual(['reporter', 'sup-wang']);
    const noContact = viewForReader(view, 'no_contact');
    expect(JSON.stringify(noContact)).not.toMatch(/pj-student|stu-1/);
    expect(noContact.reporter?.name).toBe('王小红');
  });

  it('is the case itself for a reader who may see it all', () => {
    expect(viewForReader(view, 'all')).toBe(view);
  });

  it('takes the address out of stored text, whatever its case', () => {
    expect(
      withoutContact('mail refused for reporter:PJ-Student@demo.edu.cn: bounced', reporter, '报告人'),
    ).toBe('mail refused for reporter:报告人: bounced');
  });
});
