import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Directory } from '../domain/directory.ts';
import { verifyReportLink, type ReportScope } from '../domain/report-link.ts';
import type { VerifyFailure } from '../domain/link-token.ts';
import { messagePage } from './action-pages.ts';
import type { Caller } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { toProblem } from './errors.ts';
import { callerLanguage, problemTypes, type Lang, type LocalText } from './problems.ts';
import {
  READERS_TEXT,
  assertBuilding,
  directoryOr503,
  loadWeeklySummary,
  reportScopeRefusal,
  weeklyReportHtml,
} from './routes/reports.ts';

/**
 * /reports/{token}: the weekly report page behind the signed link in a summary
 * email, for people who arrive without a bearer token. Reading changes
 * nothing, so the link is checked (signature, expiry) but never stored or used
 * up; the recipient's read scope is checked again on every open, by the same
 * rule as GET /api/reports/weekly, so a supervisor moved off a building loses
 * the page with it.
 */
class LinkPage extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly outcome: string,
    readonly title: LocalText,
    readonly text: LocalText,
    readonly lang?: Lang | undefined,
  ) {
    super(title.en);
  }
}

const ANOTHER_WAY: LocalText = {
  zh: '也可以登录后通过 /api/reports/weekly 查看。',
  en: 'You can also sign in and use /api/reports/weekly.',
};
const more = (t: LocalText): LocalText => ({
  zh: `${t.zh}${ANOTHER_WAY.zh}`,
  en: `${t.en} ${ANOTHER_WAY.en}`,
});

const failures: Record<VerifyFailure, [ContentfulStatusCode, LocalText, LocalText]> = {
  malformed: [
    400,
    { zh: '链接格式不正确', en: 'This link is malformed' },
    more({
      zh: '链接不完整、已损坏，或不是周报链接。请从周报邮件中完整复制链接后再打开。',
      en: 'The link is incomplete, damaged, or not a report link. Copy the whole link from the summary email and open it again.',
    }),
  ],
  forged: [
    400,
    { zh: '链接无效：签名校验失败', en: 'This link is not genuine' },
    more({
      zh: '链接内容或签名被改动过，无法打开。请只使用周报邮件中的原始链接。',
      en: 'The link’s content or signature was altered, so it cannot be opened. Use only the original link from the summary email.',
    }),
  ],
  unknown_key: [
    404,
    { zh: '无法识别的链接', en: 'This link is not recognised' },
    more({
      zh: '签发该链接的密钥已停用或从未使用。请使用最新周报邮件中的链接。',
      en: 'The key that signed this link has been retired or was never ours. Use the link in the latest summary email.',
    }),
  ],
  expired: [
    410,
    { zh: '链接已过期', en: 'This link has expired' },
    more({
      zh: '周报链接自发送起 7 天内有效。请使用最新周报邮件中的链接。',
      en: 'Report links work for 7 days after the email is sent. Use the link in the latest summary email.',
    }),
  ],
};

const scopeText = (dir: Directory, scope: ReportScope): LocalText => {
  const b = scope.buildingId ? dir.buildings.find((x) => x.id === scope.buildingId) : undefined;
  return {
    zh: `${scope.week} 周${b ? b.name.zh : scope.buildingId ? `楼栋 ${scope.buildingId} ` : '全校'}`,
    en: `${b ? b.name.en : scope.buildingId ? `building ${scope.buildingId}` : 'the campus'} for ${scope.week}`,
  };
};

/** The report-link sub-app; mount at /reports, outside the bearer-token /api. */
export function reportLinkRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  const render = (c: Context, status: ContentfulStatusCode, html: string) =>
    c.html(html, status, {
      // The token is in the URL: never hand it to another site or keep it in a cache.
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'x-robots-tag': 'noindex, nofollow',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    });

  const outcome = (c: Context, p: LinkPage) =>
    render(c, p.status, messagePage(p.lang ?? callerLanguage(c), p.outcome, p.title, p.text));

  async function page(c: Context): Promise<Response> {
    const check = verifyReportLink(
      c.req.param('token') ?? '',
      deps.signingKeys,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) {
      const [status, title, text] = failures[check.reason];
      throw new LinkPage(status, check.reason, title, text);
    }
    const { scope, recipientId } = check;
    const dir = await directoryOr503(deps);
    const person = dir.people.find((p) => p.id === recipientId);
    const noLonger = (lang: Lang | undefined) =>
      new LinkPage(
        403,
        'out_of_scope',
        { zh: '无权查看此周报', en: 'You may not read this report' },
        {
          zh: `此链接发给 ${person?.name ?? recipientId}，但其目前已无权查看${scopeText(dir, scope).zh}的周报（${READERS_TEXT.zh}）。`,
          en: `This link was sent to ${person?.name ?? recipientId}, who may no longer read the report of ${scopeText(dir, scope).en} (${READERS_TEXT.en}).`,
        },
        lang,
      );
    if (!person) throw noLonger(undefined);
    const caller: Caller = { person, actor: { id: person.id, roles: person.roles, via: 'link' } };
    assertBuilding(dir, scope.buildingId);
    if (reportScopeRefusal(caller, dir, scope.buildingId)) throw noLonger(person.language);
    const summary = await loadWeeklySummary(deps, scope);
    return render(c, 200, weeklyReportHtml(dir, summary, person.language));
  }

  /** Every failure is a page: these links are opened by people in browsers, not API clients. */
  const guarded = (fn: (c: Context) => Promise<Response>) => async (c: Context) => {
    try {
      return await fn(c);
    } catch (err) {
      if (err instanceof LinkPage) return outcome(c, err);
      const p = toProblem(err);
      if (p) {
        const def = problemTypes[p.type];
        const text = typeof p.detail === 'string' ? { zh: p.detail, en: p.detail } : p.detail;
        return outcome(c, new LinkPage(def.status, p.type, { zh: def.zh, en: def.en }, text));
      }
      console.error('[reports] unexpected error', err);
      return outcome(
        c,
        new LinkPage(
          500,
          'error',
          { zh: '暂时无法打开', en: 'This could not be opened now' },
          {
            zh: '系统暂时出错，链接仍然有效，请稍后再试。',
            en: 'Something went wrong on our side. The link is still valid: please try again later.',
          },
        ),
      );
    }
  };

  app.get('/:token', guarded(page));
  // Opening a report is the only thing these links do.
  app.all('/:token', (c) => {
    c.header('allow', 'GET, HEAD');
    return outcome(
      c,
      new LinkPage(
        405,
        'method_not_allowed',
        { zh: '只能打开查看', en: 'This link can only be opened' },
        {
          zh: '周报链接只用于查看（GET），不接受提交。',
          en: 'Report links are for reading (GET) only; nothing can be submitted to them.',
        },
      ),
    );
  });
  return app;
}
