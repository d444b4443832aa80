import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../domain/email-content.ts';
import { mailDocument } from '../../domain/mail-document.ts';

describe('mailDocument', () => {
  it('makes a fragment a document with a viewport, in the mail’s language', () => {
    const doc = mailDocument('<div><p>您好</p></div>');
    expect(doc).toMatch(/^<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">/);
    expect(doc).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(doc).toContain('<body><div><p>您好</p></div></body></html>');
    expect(mailDocument('<p>x</p>', 'en')).toContain('<html lang="en">');
  });

  it('adds the viewport to a document’s own head, once', () => {
    const doc = mailDocument('<!doctype html><html><head><title>t</title></head><body>b</body></html>');
    expect(doc).toBe(
      '<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title></head><body>b</body></html>',
    );
    expect(mailDocument(doc)).toBe(doc);
  });

  it('takes its root language from the half the mail reads first', () => {
    const mail = {
      kind: 'assigned' as const,
      caseId: 'ZG-2026-000009',
      title: 'Leaking tap',
      stage: 'analysing',
      round: 1,
      recipientName: 'David Lee',
    };
    expect(mailDocument(renderEmail('en', mail).html)).toMatch(/^<!doctype html><html lang="en">/);
    expect(mailDocument(renderEmail('zh-CN', mail).html)).toMatch(/^<!doctype html><html lang="zh-CN">/);
  });
});
