import { describe, expect, it } from 'vitest';
import { TextAreaField } from '../../api/pages/ui.tsx';

const html = async (props: Parameters<typeof TextAreaField>[0]) =>
  String(await TextAreaField(props).toString());

describe('a textarea field', () => {
  it('holds what was typed, escaped, under its label', async () => {
    const out = await html({
      name: 'plan',
      label: { zh: '整改方案', en: 'Plan' },
      lang: 'zh-CN',
      value: '<b>换灯</b>',
    });
    expect(out).toContain('<label for="f-plan">整改方案</label>');
    expect(out).toContain('&lt;b&gt;换灯&lt;/b&gt;</textarea>');
    // Neither required nor a length limit unless asked for.
    expect(out).not.toContain('required');
    expect(out).not.toContain('maxlength');
  });

  it('is required and bounded when asked, with its error read with it', async () => {
    const out = await html({
      name: 'notes',
      label: { zh: '说明', en: 'Notes' },
      lang: 'en',
      required: true,
      maxLength: 4000,
      errors: { notes: { zh: '必填', en: 'Required' } },
      idPrefix: 'review',
    });
    expect(out).toMatch(/<textarea[^>]* required=""[^>]*>|<textarea[^>]* required[ >]/);
    expect(out).toContain('maxlength="4000"');
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('<p class="field-error" id="review-notes-error">Required</p>');
    expect(out).toMatch(/<textarea[^>]*><\/textarea>/);
  });
});
