import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { overridesFrom, parseCalendarFile, type CalendarFile } from '../domain/calendar-file.ts';
import type { CalendarOverrides } from '../domain/calendar.ts';
import {
  latestCalendarVersion,
  type CalendarVersion,
  type StoreDeps as CalendarStoreDeps,
} from '../store/calendar-versions.ts';
import { ConfigError, type Env } from './config.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_CALENDAR_FILE = path.join(projectRoot, 'infra/local/calendar.txt');

export const EMPTY_CALENDAR_FILE: CalendarFile = {
  official: [],
  holidays: [],
  workdays: [],
  closures: [],
  terms: [],
};

/** The file CALENDAR_FILE names; locally the demo campus's when unset, in production none (bundled data only). */
export function calendarFilePath(env: Pick<Env, 'CALENDAR_FILE' | 'RECTIFY_MODE'>): string | undefined {
  if (env.CALENDAR_FILE) return path.resolve(env.CALENDAR_FILE);
  return env.RECTIFY_MODE === 'local' ? LOCAL_CALENDAR_FILE : undefined;
}

/**
 * Reads and checks the calendar file. A missing or invalid file is a ConfigError
 * naming each bad line, so a worker never starts counting working days from a
 * calendar the school did not mean.
 */
export async function readCalendarFile(file: string): Promise<CalendarFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `Invalid configuration:\n  CALENDAR_FILE: cannot read ${file} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const parsed = parseCalendarFile(text);
  if (!parsed.ok)
    throw new ConfigError(
      `Invalid configuration:\n  CALENDAR_FILE ${file}:\n${parsed.errors.map((e) => `    ${e.message.en}`).join('\n')}`,
    );
  return parsed.file;
}

/** The configured calendar file, or an empty one when none is configured. */
export async function loadCalendar(env: Pick<Env, 'CALENDAR_FILE' | 'RECTIFY_MODE'>): Promise<CalendarFile> {
  const file = calendarFilePath(env);
  return file ? readCalendarFile(file) : EMPTY_CALENDAR_FILE;
}

/** What the worker's activities take: the overrides from the configured calendar file. */
export async function calendarOverridesFromEnv(
  env: Pick<Env, 'CALENDAR_FILE' | 'RECTIFY_MODE'>,
): Promise<CalendarOverrides> {
  return overridesFrom(await loadCalendar(env));
}

/** The calendar in force and where it comes from. */
export interface CurrentCalendar {
  file: CalendarFile;
  text: string;
  /** `saved`: the newest version saved on the admin page; `file`: CALENDAR_FILE (or none). */
  origin: { kind: 'saved'; version: CalendarVersion } | { kind: 'file'; path: string | undefined };
}

/**
 * Reads the calendar in force on each call: the newest version saved on the
 * admin page (one DynamoDB query; each version parsed once), else the file
 * CALENDAR_FILE names (read once per process). This is how a worker and the
 * API pick up a saved calendar without a restart.
 */
export function currentCalendarReader(
  env: Pick<Env, 'CALENDAR_FILE' | 'RECTIFY_MODE'>,
  store: CalendarStoreDeps,
): () => Promise<CurrentCalendar> {
  let fromFile: Promise<CurrentCalendar> | undefined;
  const parsed = new Map<number, CalendarFile>();
  const fileCalendar = async (): Promise<CurrentCalendar> => {
    const file = calendarFilePath(env);
    const text = file ? await readFile(file, 'utf8').catch(() => '') : '';
    return { file: await loadCalendar(env), text, origin: { kind: 'file', path: file } };
  };
  return async () => {
    const latest = await latestCalendarVersion(store);
    if (latest) {
      let file = parsed.get(latest.number);
      if (!file) {
        const p = parseCalendarFile(latest.text);
        // Saved versions were checked before they were written; one that no longer parses
        // (the bundled data changed under it) must not stop deadlines: the file stands in.
        if (!p.ok) {
          console.error(
            `[calendar] saved version ${latest.number} no longer parses; using CALENDAR_FILE`,
            p.errors,
          );
        } else {
          file = p.file;
          parsed.set(latest.number, file);
        }
      }
      if (file) return { file, text: latest.text, origin: { kind: 'saved', version: latest } };
    }
    fromFile ??= fileCalendar().catch((err: unknown) => {
      fromFile = undefined;
      throw err;
    });
    return fromFile;
  };
}

/** What the worker's activities take to plan each deadline with the calendar in force. */
export function activityCalendar(
  env: Pick<Env, 'CALENDAR_FILE' | 'RECTIFY_MODE'>,
  store: CalendarStoreDeps,
): () => Promise<{ key: string; overrides: CalendarOverrides; file: CalendarFile }> {
  const read = currentCalendarReader(env, store);
  return async () => {
    const now = await read();
    return {
      key: now.origin.kind === 'saved' ? `saved#${now.origin.version.number}` : 'file',
      overrides: overridesFrom(now.file),
      file: now.file,
    };
  };
}
