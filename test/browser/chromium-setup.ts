import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium: the browser tests drive it through playwright-core; nothing is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Makes sure Debian's chromium (and CJK fonts, so Chinese pages render in the
 * screenshots) is installed; installs the packages where it is missing. When
 * that is impossible the browser tests fail with one line saying why: they
 * never skip, so a CI run without a browser is a red run, not a green one.
 */
export default function setup(): void {
  if (existsSync(CHROMIUM)) return;
  const root = process.getuid?.() === 0;
  const apt = (args: string[]) =>
    spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['-n', 'apt-get', ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  process.stderr.write(
    `[browser tests] ${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk\n`,
  );
  apt(['update']);
  const installed = apt(['install', '-y', '--no-install-recommends', 'chromium', 'fonts-noto-cjk']);
  if (installed.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(
      `browser tests need Debian's chromium at ${CHROMIUM}, and 'apt-get install -y chromium fonts-noto-cjk' failed (${installed.error?.message ?? `exit ${installed.status}`}); install it and run again`,
    );
  }
}
