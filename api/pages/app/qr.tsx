import { Hono } from 'hono';
import { listPlaces } from '../../../domain/places.ts';
import { inLang, type Bilingual } from '../../../domain/text.ts';
import { quoted } from '../../../domain/safe-text.ts';
import { directoryOrFail } from '../../reads.ts';
import type { AppDeps } from '../../deps.ts';
import { csrfProtect, requireViewer, sessionMiddleware, type WebEnv } from '../../middleware/session.ts';
import { ErrorSummaryBox } from '../error-summary.tsx';
import { printPdf } from '../qr-pdf.ts';
import { PLACES_PER_PAGE, qrSheets, sheetsHtml } from '../qr-sheet.ts';
import { page, refusedPage, viewerHas, type WebContext } from './dashboard-common.tsx';

/** The admin page of printable code sheets: per building, one PDF, one SVG per A4 page and a print view. */
export function qrRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use('/admin/qr', sessionMiddleware(deps), requireViewer, csrfProtect);
  app.use('/admin/qr/*', sessionMiddleware(deps), requireViewer, csrfProtect);
  const title: Bilingual = { zh: '报修二维码', en: 'Report codes' };
  const allowed = ['admin', 'supervisor', 'working_group'] as const;
  const rule: Bilingual = {
    zh: '只有管理员、主管和工作小组可以打印二维码',
    en: 'only admins, supervisors and the working group print code sheets',
  };

  app.get('/admin/qr', async (c) => {
    if (!viewerHas(c, allowed)) return refusedPage(c, title, rule);
    const lang = c.get('lang');
    const dir = await directoryOrFail(deps);
    return page(
      c,
      title,
      <>
        <p>
          {inLang(
            {
              zh: '每个楼栋、楼层、房间和公共区域都有一个固定的二维码；扫码即可报告问题，无需账号。',
              en: 'Every building, floor, room and public area has a fixed code; scanning it opens the report form, no account needed.',
            },
            lang,
          )}
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">{inLang({ zh: '楼栋 / 区域', en: 'Building / area' }, lang)}</th>
              <th scope="col">{inLang({ zh: '二维码数', en: 'Codes' }, lang)}</th>
              <th scope="col">{inLang({ zh: '打印', en: 'Print' }, lang)}</th>
            </tr>
          </thead>
          <tbody>
            {dir.buildings.map((b) => (
              <tr>
                <td>{inLang(b.name, lang)}</td>
                <td>{listPlaces(dir, b.id).length}</td>
                <td>
                  <a href={`/app/admin/qr/${b.id}/codes.pdf`} download={`${b.id}-codes.pdf`}>
                    {inLang({ zh: '下载 PDF', en: 'Download PDF' }, lang)}
                  </a>
                  {' · '}
                  <a href={`/app/admin/qr/${b.id}/print`}>
                    {inLang({ zh: '打印版（存为 PDF）', en: 'Print view (save as PDF)' }, lang)}
                  </a>
                  {/* Every A4 sheet of the building, not only the first. */}
                  {Array.from(
                    { length: Math.max(1, Math.ceil(listPlaces(dir, b.id).length / PLACES_PER_PAGE)) },
                    (_, i) => (
                      <>
                        {' · '}
                        <a href={`/app/admin/qr/${b.id}/sheet-${i + 1}.svg`}>SVG {i + 1}</a>
                      </>
                    ),
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
    );
  });

  const noBuilding = (id: string): Bilingual => ({
    zh: `没有楼栋 ${quoted(id)}`,
    en: `there is no building ${quoted(id)}`,
  });

  /*
   * These addresses are opened from the page's links in a browser: what is not there is said on a
   * page with the way back to the list, whatever the client asked for (as the other app pages do).
   */
  const missingPage = (c: WebContext, text: Bilingual) => {
    const lang = c.get('lang');
    return page(
      c,
      title,
      <>
        <ErrorSummaryBox lang={lang} text={text} data={{ 'data-problem-status': '404' }} />
        <p>
          <a href="/app/admin/qr">{inLang({ zh: '返回二维码列表', en: 'Back to the code sheets' }, lang)}</a>
        </p>
      </>,
      404,
    );
  };

  const sheetsOf = async (buildingId: string) => {
    const dir = await directoryOrFail(deps);
    const building = dir.buildings.find((b) => b.id === buildingId);
    if (!building) return null;
    const heading = `${building.name.zh} 报修二维码 / ${building.name.en} report codes`;
    return { heading, pages: await qrSheets(listPlaces(dir, buildingId), deps.publicBaseUrl, heading) };
  };

  app.get('/admin/qr/:buildingId/print', async (c) => {
    if (!viewerHas(c, allowed)) return refusedPage(c, title, rule);
    const buildingId = c.req.param('buildingId');
    const sheets = await sheetsOf(buildingId);
    if (!sheets) return missingPage(c, noBuilding(buildingId));
    return c.html(sheetsHtml(sheets.pages, sheets.heading));
  });

  // The PDF `npm run qr` writes, from the same printer; where there is no Chromium, the print view says how.
  app.get('/admin/qr/:buildingId/codes.pdf', async (c) => {
    if (!viewerHas(c, allowed)) return refusedPage(c, title, rule);
    const buildingId = c.req.param('buildingId');
    const sheets = await sheetsOf(buildingId);
    if (!sheets) return missingPage(c, noBuilding(buildingId));
    const pdf = await printPdf(sheetsHtml(sheets.pages, sheets.heading));
    if (!pdf) {
      const lang = c.get('lang');
      return page(
        c,
        title,
        <>
          <ErrorSummaryBox
            lang={lang}
            text={{
              zh: '这台服务器现在无法生成 PDF（需要 Chromium）；请打开打印版，用浏览器存为 PDF。',
              en: 'This server cannot make the PDF now (it needs Chromium): open the print view and save it as PDF from the browser.',
            }}
            data={{ 'data-problem-status': '503' }}
          />
          <p>
            <a href={`/app/admin/qr/${buildingId}/print`}>
              {inLang({ zh: '打印版（存为 PDF）', en: 'Print view (save as PDF)' }, lang)}
            </a>
          </p>
        </>,
        503,
      );
    }
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${buildingId.replace(/[^A-Za-z0-9_-]/g, '_')}-codes.pdf"`,
      'Cache-Control': 'no-store',
    });
  });

  app.get('/admin/qr/:buildingId/:sheet', async (c) => {
    if (!viewerHas(c, allowed)) return refusedPage(c, title, rule);
    const buildingId = c.req.param('buildingId');
    const sheets = await sheetsOf(buildingId);
    if (!sheets) return missingPage(c, noBuilding(buildingId));
    const n = Number(/^sheet-(\d+)\.svg$/.exec(c.req.param('sheet'))?.[1]);
    const svg = sheets.pages[n - 1];
    if (!svg)
      return missingPage(c, {
        zh: `没有这一页：${quoted(c.req.param('sheet'))}（本楼共 ${sheets.pages.length} 页，sheet-1.svg 至 sheet-${sheets.pages.length}.svg）`,
        en: `no such sheet: ${quoted(c.req.param('sheet'))} (this building has ${sheets.pages.length}: sheet-1.svg to sheet-${sheets.pages.length}.svg)`,
      });
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });

  return app;
}
