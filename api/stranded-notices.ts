import type { DirectorySnapshot } from '../store/directory.ts';
import type { StrandedTold } from '../store/directory-told.ts';
import {
  catchUpStranded as catchUp,
  tellStranded as tell,
  type StrandedDeps,
} from '../store/stranded-notices.ts';
import type { AppDeps } from './deps.ts';

/**
 * The API's way to the stranded-cases mail (store/stranded-notices.ts, which the daily brief's
 * activity also runs): the directory save tells its version at once, and the directory page and
 * `GET /api/directory/removed` catch up a version whose mail did not go before they say whom it told.
 */

type Deps = Pick<AppDeps, 'aws' | 'env' | 'publicBaseUrl'>;

const strandedDeps = (deps: Deps): StrandedDeps => ({
  ...deps.aws,
  timeZone: deps.env.CAMPUS_TZ,
  publicBaseUrl: deps.publicBaseUrl,
});

/** Tells the places where the save of `snapshot` stranded open cases, once (see the store's). */
export const tellStranded = (deps: Deps, snapshot: DirectorySnapshot): Promise<StrandedTold | null> =>
  tell(strandedDeps(deps), snapshot);

/** Tells every recent version whose mail did not go (see the store's). */
export const catchUpStranded = (deps: Deps): Promise<void> => catchUp(strandedDeps(deps));
