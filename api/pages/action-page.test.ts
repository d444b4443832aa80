import { describe, expect, it } from 'vitest';
import type { Lang } from '../../domain/text.ts';
import { ActionPage, type FieldName } from './action-page.tsx';
import type { ActionContent } from './action-statement.ts';

const page = (choice: ActionContent['choice'], lang: Lang) =>
  String(
    ActionPage({
      lang,
      content: {
        title: { zh: '异议裁定', en: 'Adjudicate the dispute' },
        rows: [],
        statement: { zh: '本人裁定。', en: 'I decide.' },
        choice,
      },
      form: { action: '/actions/t', csrf: 'c', textHash: 'h' },
    }),
  );

/** What a reader sees: the page without its tags and attributes. */
const visible = (html: string) => html.replace(/<style[^]*?<\/style>/g, '').replace(/<[^>]*>/g, ' ');

describe('the adjudication page', () => {
  it.each(['zh-CN', 'en'] as const)(
    'names its two choices in words, not by their raw values (%s)',
    (lang) => {
      const html = page('adjudicate', lang);
      const text = visible(html);
      expect(text).toContain('退回重新分析');
      expect(text).toContain('Back to analysis');
      expect(text).toContain('按原方案整改');
      expect(text).toContain('Proceed with the plan');
      expect(text).not.toMatch(/revise|proceed/);
      // The values the form posts stay what the route reads.
      expect(html).toContain('value="revise"');
      expect(html).toContain('value="proceed"');
    },
  );
});

const refused = (
  choice: ActionContent['choice'],
  lang: Lang,
  state: Parameters<typeof ActionPage>[0]['form']['state'],
  error = { zh: '提出异议须写明理由', en: 'A dispute needs a reason' },
  fields: readonly FieldName[] = ['reason'],
) =>
  String(
    ActionPage({
      lang,
      content: {
        title: { zh: '问题认定签字', en: 'Sign off the finding' },
        rows: [{ label: { zh: '案件', en: 'Case' }, value: 'ZG-2026-0001' }],
        statement: { zh: '本人确认。', en: 'I confirm.' },
        choice,
      },
      form: { action: '/actions/t', csrf: 'c', textHash: 'h', state, error, fields },
    }),
  );

/** The element whose opening tag carries `marker`, up to its closing `</tag>` (not nested). */
const element = (html: string, tag: string, marker: string) =>
  new RegExp(`<${tag}[^>]*${marker}[^>]*>[\\s\\S]*?</${tag}>`).exec(html)?.[0] ?? '';

describe('a sign-off refused for a dispute with no reason', () => {
  const html = refused('sign_off', 'zh-CN', { choice: 'dispute', reason: '' });

  it('says so in its title and first, before the case, where the keyboard lands', () => {
    expect(html).toContain('<title>错误：问题认定签字 · Rectify</title>');
    const box = element(html, 'div', 'data-form-error');
    expect(box).toContain('提出异议须写明理由');
    expect(box).toMatch(/^<div[^>]*tabindex="-1"[^>]*autofocus/);
    expect(html.indexOf('data-form-error')).toBeLessThan(html.indexOf('<table'));
    // It links to the reason, the field it is about.
    expect(box).toContain('<a href="#field-reason">异议理由');
  });

  it('ties the reason to the message and names the group of choices', () => {
    expect(html).toMatch(
      /<textarea id="field-reason" name="reason"[^>]*aria-invalid="true" aria-describedby="form-error">/,
    );
    expect(html).toMatch(/<label for="field-reason">异议理由/);
    expect(html).toMatch(
      /<fieldset><legend>签字选择 <span class="alt" lang="en">Your choice<\/span><\/legend>/,
    );
  });

  it('a form sent with no choice points at the choices instead', () => {
    const none = refused(
      'sign_off',
      'en',
      {},
      { zh: '请选择确认或提出异议', en: 'Choose to confirm or to dispute' },
      ['choice'],
    );
    expect(none).toContain('<title>Error: Sign off the finding · Rectify</title>');
    expect(element(none, 'div', 'data-form-error')).toContain('<a href="#field-choice">Your choice');
    expect(none).toMatch(
      /<input type="radio" id="field-choice" name="choice" value="confirm"[^>]*aria-invalid="true"/,
    );
    expect(none).not.toMatch(/<textarea[^>]*aria-invalid/);
  });

  it('a rating missing an aspect links that aspect', () => {
    const rate = refused(
      'rate',
      'zh-CN',
      { attitude: 5, quality: 4 },
      { zh: '请为每一项选择 1-5 分', en: 'x' },
      ['cleanup'],
    );
    const box = element(rate, 'div', 'data-form-error');
    expect(box).toContain('href="#field-cleanup"');
    expect(box).not.toContain('href="#field-attitude"');
    expect(rate).toContain('id="field-cleanup"');
  });
});

describe('the fields a refusal marks', () => {
  it('are the ones the route names, not guessed from what was posted', () => {
    // A dispute whose reason is there but refused for what it holds: only the route knows it is the reason.
    const html = refused(
      'sign_off',
      'zh-CN',
      { choice: 'confirm', reason: '有理由' },
      { zh: '异议理由：包含文字方向控制字符，请删除', en: 'x' },
      ['reason'],
    );
    expect(element(html, 'div', 'data-form-error')).toContain('<a href="#field-reason">');
    expect(html).toMatch(/<textarea id="field-reason"[^>]*aria-invalid="true"/);
    expect(html).not.toMatch(/<input type="radio"[^>]*aria-invalid/);
    // A refusal about no field marks none, whatever was posted.
    const none = refused(
      'sign_off',
      'zh-CN',
      { choice: 'dispute', reason: '' },
      { zh: '未能完成', en: 'x' },
      [],
    );
    expect(element(none, 'div', 'data-form-error')).not.toContain('<a href=');
    expect(none).not.toMatch(/<(textarea|input)[^>]*aria-invalid/);
  });
});

describe('a link page as first opened', () => {
  it('has no error title, no error box and no field marked invalid', () => {
    const html = page('sign_off', 'zh-CN');
    expect(html).toContain('<title>异议裁定 · Rectify</title>');
    expect(html).not.toContain('data-form-error');
    expect(html).not.toMatch(/<(textarea|input)[^>]*aria-invalid/);
  });

  it.each([
    ['zh-CN', 'en'],
    ['en', 'zh-CN'],
  ] as const)('marks every text of the second language with its language (%s page)', (lang, second) => {
    const html = page('adjudicate', lang).replace(/<style[^]*?<\/style>/g, '');
    expect(html).toContain(`<html lang="${lang}">`);
    const alts = [...html.matchAll(/<(?:span|p|div) class="alt"([^>]*)>/g)];
    expect(alts.length).toBeGreaterThan(3);
    for (const [, attrs] of alts) expect(attrs).toContain(`lang="${second}"`);
    // The submit button's second half too.
    expect(html).toMatch(new RegExp(`<button type="submit">[^<]* / <span lang="${second}">`));
  });
});

describe('the group of choices', () => {
  it('is named on every link that asks for one, and absent where nothing is chosen', () => {
    expect(page('adjudicate', 'zh-CN')).toMatch(/<fieldset><legend>裁定结果 <span class="alt" lang="en">/);
    expect(page('rate', 'en')).toMatch(/<fieldset><legend>Your rating <span class="alt" lang="zh-CN">/);
    // An unnamed group around a hidden field is only noise to a screen reader.
    expect(page('acknowledge', 'zh-CN')).not.toContain('<fieldset');
  });
});

describe('the note under the form', () => {
  it.each(['zh-CN', 'en'] as const)(
    'says in both languages that opening changes nothing and the link works once (%s)',
    (lang) => {
      const note = /<p class="note" data-link-note[^>]*>([^]*?)<\/p>/.exec(page('rate', lang))?.[1] ?? '';
      const text = visible(note);
      expect(text).toContain('打开本页不会做任何改动');
      expect(text).toContain('链接仅可使用一次');
      expect(text).toContain('Opening this page changes nothing');
      expect(text).toContain('The link works once');
      // The reader's language first, the other beside it.
      const [first, second] = lang === 'en' ? ['Opening', '打开'] : ['打开', 'Opening'];
      expect(text.indexOf(first)).toBeLessThan(text.indexOf(second));
    },
  );
});
