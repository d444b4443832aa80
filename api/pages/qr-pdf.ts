import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The code sheets as one PDF, printed by headless Chromium from the sheets' HTML
 * (`sheetsHtml`): the one printer both `npm run qr` and the admin page use, so
 * both hand out the same PDF. Chromium draws the Chinese names with the
 * machine's CJK fonts, which no PDF library here could embed.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Chromium's path on this machine, or undefined where there is none (a Lambda). */
export const chromiumPath = (): string | undefined => CANDIDATES.find((p) => existsSync(p));

const run = promisify(execFile);

// One Chromium at a time per process: a few admins clicking at once must not start a browser each.
let queue: Promise<unknown> = Promise.resolve();

/** Prints the HTML to PDF bytes; undefined when there is no Chromium or it could not print. */
export function printPdf(html: string): Promise<Buffer | undefined> {
  const job = queue.then(() => printOnce(html));
  queue = job.catch(() => undefined);
  return job;
}

async function printOnce(html: string): Promise<Buffer | undefined> {
  const chromium = chromiumPath();
  if (!chromium) return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'rectify-qr-'));
  try {
    const source = path.join(dir, 'sheets.html');
    const pdf = path.join(dir, 'sheets.pdf');
    await writeFile(source, html);
    // A profile of its own, so a Chromium already running on the machine cannot take the job over.
    await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--no-pdf-header-footer',
        `--user-data-dir=${path.join(dir, 'profile')}`,
        `--print-to-pdf=${pdf}`,
        `file://${source}`,
      ],
      { timeout: 60_000 },
    );
    const bytes = await readFile(pdf);
    return bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? bytes : undefined;
  } catch {
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
