import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { Directory } from '../../domain/directory.ts';
import type { VerifyFailure } from '../../domain/link-token.ts';
import { verifyReportLink, type ReportScope } from '../../domain/report-link.ts';
import type { Bilingual, Lang } from '../../domain/text.ts';
import type { Caller } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { READERS_TEXT, reportScopeRefusal } from '../middleware/access.ts';
import { callerLanguage } from '../middleware/problems.ts';
import { bi, pageResponse } from './declare.ts';
import { guardedPage, outcomePage, PageOutcome, type LinkPageKind } from '../pages/link-page.tsx';
import { assertBuilding, directoryOrFail, loadWeeklySummary } from '../reads.ts';
import { weeklyReportHtml } from './weekly-reports.ts';
import { linkTokenOf } from '../link-token-param.ts';

/**
 * /reports/{token}: the weekly report page behind the signed link in a summary
 * email, for people who arrive without a bearer token. Reading changes
 * nothing, so the link is checked (signature, expiry) but never stored or used
 * up; the recipient's read scope is checked again on every open, by the same
 * rule as GET /api/reports/weekly, so a supervisor moved off a building loses
 * the page with it. (The link's token itself is domain/report-link.ts.)
 */
// The page a signed-in person reads reports on (not the API's JSON path).
const ANOTHER_WAY: Bilingual = {
  zh: '也可以登录后在仪表盘的周报页 /app/dashboard/weekly 查看。',
  en: 'You can also sign in and read the weekly reports on the dashboard, /app/dashboard/weekly.',
};
const more = (t: Bilingual): Bilingual => ({
  zh: `${t.zh}${ANOTHER_WAY.zh}`,
  en: `${t.en} ${ANOTHER_WAY.en}`,
});

const failures: Record<VerifyFailure, [ContentfulStatusCode, Bilingual, Bilingual]> = {
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

const scopeText = (dir: Directory, scope: ReportScope): Bilingual => {
  const b = scope.buildingId ? dir.buildings.find((x) => x.id === scope.buildingId) : undefined;
  return {
    zh: `${scope.week} 周${b ? b.name.zh : scope.buildingId ? `楼栋 ${scope.buildingId} ` : '全校'}`,
    en: `${b ? b.name.en : scope.buildingId ? `building ${scope.buildingId}` : 'the campus'} for ${scope.week}`,
  };
};

export const showReportRoute = createRoute({
  method: 'get',
  path: '/reports/{token}',
  operationId: 'showReport',
  tags: ['actions'],
  security: [],
  summary: bi({ zh: '周报邮件中的报告链接', en: 'The report page behind a summary email link' }),
  description: bi({
    zh: '与 GET /api/reports/weekly?format=html 相同的周报页面，无需登录：签名链接，7 天内有效，可多次打开，打开不做任何改动；每次打开都重新核对收件人是否仍有权查看该楼栋。只接受 GET（其他方法 405）。',
    en: 'The same page as GET /api/reports/weekly?format=html, without signing in: a signed link, valid 7 days, opened any number of times, changing nothing; every open re-checks that the recipient may still read that building. GET only (other methods 405).',
  }),
  request: { params: z.object({ token: z.string() }) },
  responses: {
    200: pageResponse({ zh: '周报页面', en: 'The report page' }),
    400: pageResponse({ zh: '伪造、篡改或格式错误的链接', en: 'Forged, tampered or malformed link' }),
    403: pageResponse({ zh: '收件人已无权查看该周报', en: 'The recipient may no longer read this report' }),
    404: pageResponse({ zh: '无法识别的链接或周报不存在', en: 'Unknown link, or no such report' }),
    410: pageResponse({ zh: '链接已过期', en: 'The link has expired' }),
    503: pageResponse({ zh: '尚未加载校园目录', en: 'No directory loaded' }),
  },
});

export const reportLinkRouteDefinitions: RouteConfig[] = [showReportRoute];

const reportPages: LinkPageKind = {
  name: 'reports',
  headers: {
    // The token is in the URL: never hand it to another site or keep it in a cache.
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'x-robots-tag': 'noindex, nofollow',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  },
  fallbackLang: callerLanguage,
  failedTitle: { zh: '暂时无法打开', en: 'This could not be opened now' },
};

/** The report-link sub-app; mount at /reports, outside the bearer-token /api. */
/** GET /reports/{token}. */
export function reportLinkRoutes(deps: AppDeps): OpenAPIHono {
  const app = new OpenAPIHono();

  async function page(c: Context): Promise<Response> {
    const check = verifyReportLink(
      linkTokenOf(c.req.param('token')),
      deps.signingKeys,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) {
      const [status, title, text] = failures[check.reason];
      throw new PageOutcome(status, check.reason, title, text);
    }
    const { scope, recipientId } = check;
    const dir = await directoryOrFail(deps);
    const person = dir.people.find((p) => p.id === recipientId);
    const noLonger = (lang: Lang | undefined) =>
      new PageOutcome(
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
    return c.html(
      weeklyReportHtml(dir, summary, person.language, undefined, deps.env.CAMPUS_TZ),
      200,
      reportPages.headers,
    );
  }

  app.openapi(showReportRoute, guardedPage(reportPages, page));
  // Opening a report is the only thing these links do.
  app.all('/reports/:token', (c) => {
    c.header('allow', 'GET, HEAD');
    return outcomePage(
      c,
      reportPages,
      new PageOutcome(
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
