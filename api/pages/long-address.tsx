import type { Context, MiddlewareHandler } from 'hono';
import { inLang, type Bilingual } from '../../domain/text.ts';
import { callerLanguage } from '../middleware/problems.ts';
import { MAX_PAGE_ADDRESS, pageAddress } from '../middleware/session.ts';
import { Layout } from './layout.tsx';

/**
 * A page address longer than MAX_PAGE_ADDRESS is answered 414 with a page that says so and links
 * the page without its query, before the session is read. Sent on to sign in instead, the address
 * would come back from /login as its `next`, longer still once encoded, past what a proxy or
 * Node's 16 KB head takes, and the person would be asked to sign in although signed in, or again
 * and again. Nothing here depends on who is asking, so a signed-in person and a signed-out one
 * read the same answer.
 */
export const longAddressGuard: MiddlewareHandler = async (c, next) => {
  const address = pageAddress(c.req.url);
  if (address.length <= MAX_PAGE_ADDRESS) return next();
  return longAddressPage(c, address.length);
};

function longAddressPage(c: Context, length: number): Response | Promise<Response> {
  const lang = callerLanguage(c);
  const path = new URL(c.req.url).pathname;
  // A path that is itself too long has no page of its own to go back to: the workbench.
  const back = path.length <= MAX_PAGE_ADDRESS ? path : '/app';
  const said: Bilingual = {
    zh: `网址过长：这个地址有 ${length} 个字符，最多 ${MAX_PAGE_ADDRESS} 个，无法打开。请打开不带查询参数的页面，再重新筛选或搜索。`,
    en: `The address is too long: it has ${length} characters, at most ${MAX_PAGE_ADDRESS} are taken, so it cannot be opened. Open the page without its query, then filter or search again.`,
  };
  const other = lang === 'en' ? 'zh-CN' : 'en';
  c.header('cache-control', 'no-store');
  return c.html(
    <Layout title={{ zh: '网址过长', en: 'Address too long' }} lang={lang} currentUrl={back} error>
      {/* Where the keyboard lands, as on every page that answers with an error (ui.tsx Flash). */}
      <div tabindex={-1} autofocus data-error-summary class="flash error" role="alert" data-long-address>
        <p style="margin:0">{inLang(said, lang)}</p>
        <p style="margin:.25rem 0 0" lang={other}>
          {inLang(said, other)}
        </p>
      </div>
      <p>
        <a href={back} data-without-query>
          {inLang({ zh: '打开不带查询参数的页面', en: 'Open the page without its query' }, lang)}
        </a>
      </p>
    </Layout>,
    414,
  );
}
