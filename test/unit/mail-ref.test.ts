import { describe, expect, it } from 'vitest';
import { mailRef, refInHtml, withRefMarker } from '../../domain/mail-ref.ts';

describe('mail refs', () => {
  it('name one outbox row: the same for every attempt, different for any other row', () => {
    const ref = mailRef('ZG-2026-0001', 'awaiting_signoff#1#signoff_request#-#staff-lee');
    expect(ref).toMatch(/^[0-9a-f]{32}$/);
    expect(mailRef('ZG-2026-0001', 'awaiting_signoff#1#signoff_request#-#staff-lee')).toBe(ref);
    expect(mailRef('ZG-2026-0001', 'awaiting_signoff#2#signoff_request#-#staff-lee')).not.toBe(ref);
    expect(mailRef('ZG-2026-0002', 'awaiting_signoff#1#signoff_request#-#staff-lee')).not.toBe(ref);
    // The separator keeps (scope, key) pairs apart that would concatenate alike.
    expect(mailRef('a#b', 'c')).not.toBe(mailRef('a', 'b#c'));
  });

  it('fit SES tag values whatever the scope and key hold', () => {
    for (const [scope, key] of [
      ['宿舍 3 号楼', '整改#1#提醒#r1#张三'],
      ['x'.repeat(2_000), 'y\n\u0000z'],
    ] as const)
      expect(mailRef(scope, key)).toMatch(/^[A-Za-z0-9_.@-]{1,256}$/);
  });

  it('travel in the HTML as a comment and are read back from it', () => {
    const ref = mailRef('s', 'k');
    const html = withRefMarker('<p>请签字确认 / Please sign</p>', ref);
    expect(html.startsWith('<p>请签字确认 / Please sign</p>')).toBe(true);
    expect(refInHtml(html)).toBe(ref);
    expect(refInHtml('<p>no ref</p>')).toBeUndefined();
    expect(refInHtml(undefined)).toBeUndefined();
    // A reader cannot plant a ref by typing one into a case: only a well-formed comment counts.
    expect(refInHtml('&lt;!-- rectify-mail-ref:0123456789abcdef0123456789abcdef --&gt;')).toBeUndefined();
  });
});
