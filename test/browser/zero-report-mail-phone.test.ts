import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailDocument } from '../../domain/mail-document.ts';
import { gridCells } from '../../domain/zero-report.ts';
import { askMail, escalationMail, summaryMail, type ZeroMail } from '../../domain/zero-report-email.ts';
import { demoDirectory } from '../support/stack.ts';
import { CHROMIUM } from './chromium-setup.ts';
import { PHONE, sidewaysOverflow } from './support.ts';

/**
 * Found by a probe: the nightly ask was 2298 px wide on a phone, its one-click "none" link's text
 * the whole signed address, one word no line could break. Each zero-report mail's HTML, as the
 * outbox sends it, laid out by a phone's browser: nothing scrolls sideways.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
});

const NIGHT = '2026-12-06';
const BASE = 'https://rectify.campus.example.edu.cn';
const BOARD = `${BASE}/zero-report/${NIGHT}`;
// As long as a signed link's token: a header, the claims and a signature, base64url.
const TOKEN = `${'eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0'.repeat(3)}.${'eyJ0aWQiOiJ0XzAxSjk'.repeat(16)}.${'Q2'.repeat(43)}`;

async function widthOnPhone(m: ZeroMail): Promise<{ overflow: number; links: string[] }> {
  const ctx = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 1,
  });
  try {
    const page = await ctx.newPage();
    await page.setContent(mailDocument(m.html));
    const links = await page.locator('a').allInnerTexts();
    return { overflow: await sidewaysOverflow(page), links };
  } finally {
    await ctx.close();
  }
}

describe('the zero report mails on a phone', () => {
  it('the ask, the escalation and the summary fit the screen, long typed words and all', async () => {
    const dir = await demoDirectory();
    const cells = gridCells(dir).filter((c) => c.buildingId === 'bldg-a');
    const [cell] = cells;
    if (!cell) throw new Error('no cell in building A');
    const ask = askMail('zh-CN', {
      night: NIGHT,
      cell,
      name: '李明',
      noneUrl: `${BASE}/actions/${TOKEN}`,
      reportUrl: `${BOARD}/report`,
      boardUrl: BOARD,
      closeText: '22:40',
    });
    const asked = await widthOnPhone(ask);
    expect(asked.overflow).toBe(0);
    // Each link reads as a few words, never its address.
    expect(asked.links.every((t) => !t.includes('://') && t.length < 60)).toBe(true);
    expect(asked.links[0]).toContain('无异常，一键零报告');

    const escalation = escalationMail('en', {
      night: NIGHT,
      name: 'Feng Jing',
      boardUrl: BOARD,
      cells: cells.map((c) => ({ cell: c, memberNames: c.memberIds.join('、') })),
    });
    expect((await widthOnPhone(escalation)).overflow).toBe(0);

    const summary = summaryMail('zh-CN', {
      night: NIGHT,
      building: { zh: 'A栋', en: 'Building A' },
      department: { zh: '计算机学院', en: 'School of Computing' },
      name: '冯静',
      late: [{ room: 'A103', name: '张三', note: `https://example.org/${'x'.repeat(300)}` }],
      absent: [],
      missing: [],
      reports: [],
      boardUrl: BOARD,
    });
    expect((await widthOnPhone(summary)).overflow).toBe(0);
  });
});
