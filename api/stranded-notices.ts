import type { DirectorySnapshot } from '../store/directory.ts';
import {
  catchUpStranded as catchUp,
  tellUnlessClaimed,
  type StrandedDeps,
} from '../store/stranded-notices.ts';
import type { AppDeps } from './deps.ts';

/**
 * The API's way to the stranded-cases mail (store/stranded-notices.ts, which the daily brief's
 * activity also runs): the directory save tells its version at once, and the directory page and
 * `GET /api/directory/removed` catch up a version whose mail did not go before they say whom it told.
 */

type Deps = Pick<AppDeps, 'aws' | 'env' | 'publicBaseUrl'>;

/**
 * How long the save's answer waits for its mails. Each SES call may take up to 30 s and a save may
 * mail many readers: what is not sent by then goes on after the answer, and a look at the page
 * after the version's claim lapses (or the morning's run) tells whatever is left.
 */
export const SAVE_WAITS_FOR_MAIL_MS = 3_000;

const strandedDeps = (deps: Deps): StrandedDeps => ({
  ...deps.aws,
  timeZone: deps.env.CAMPUS_TZ,
  publicBaseUrl: deps.publicBaseUrl,
});

/**
 * Tells the places where the save of `snapshot` stranded open cases (see the store's), waiting at
 * most SAVE_WAITS_FOR_MAIL_MS; a failure is logged and left to the catch-up. The version is
 * claimed while it is told, so the page the save leads to says the mail is on its way rather than
 * telling it a second time meanwhile.
 */
export async function tellAfterSave(deps: Deps, snapshot: DirectorySnapshot): Promise<void> {
  const telling = tellUnlessClaimed(strandedDeps(deps), snapshot, { anyway: false }).then(
    () => undefined,
    (err: unknown) => {
      console.warn(
        `[directory import] version ${snapshot.version} saved, its places not told yet: ${String(err)}`,
      );
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SAVE_WAITS_FOR_MAIL_MS);
  });
  try {
    await Promise.race([telling, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Tells every recent version whose mail did not go and no other look claimed (see the store's). */
export const catchUpStranded = (deps: Deps): Promise<void> => catchUp(strandedDeps(deps), { anyway: false });
