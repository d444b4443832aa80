import { describe, expect, it } from 'vitest';
import type { Lang } from '../../domain/text.ts';
import { ActionPage } from './action-page.tsx';
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
