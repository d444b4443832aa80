import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { overridesFrom, parseCalendarFile, type CalendarFile } from '../domain/calendar-file.ts';
import type { CalendarOverrides } from '../domain/calendar.ts';
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
