import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { z } from 'zod';
import { calendarYear, type CalendarFile } from '../../domain/calendar-file.ts';
import { ConfigError } from '../../infra/config.ts';
import { currentCalendarReader } from '../../infra/calendar.ts';
import type { AuthEnv } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { ProblemError } from '../middleware/problems.ts';
import { langQuerySchema } from '../schemas.ts';
import { bi, documentResponse, problems } from './declare.ts';

// The years the working-day calendar can place (the same span the KPI routes accept).
const YEARS = { min: 2000, max: 2100 } as const;

const yearParams = z.strictObject({
  year: z
    .string()
    .regex(
      /^\d{4}$/,
      `年份须为四位数字，${YEARS.min} 到 ${YEARS.max} 之间，如 2027 / year must be four digits, ${YEARS.min} to ${YEARS.max}, like 2027`,
    )
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(YEARS.min, `年份不能早于 ${YEARS.min} / year must be ${YEARS.min} or later`)
        .max(YEARS.max, `年份不能晚于 ${YEARS.max} / year must be ${YEARS.max} or earlier`),
    ),
});

export const calendarYearRoute = createRoute({
  method: 'get',
  path: '/api/calendar/{year}',
  operationId: 'getCalendarYear',
  tags: ['calendar'],
  summary: bi({
    zh: '某年的校历（节假日、调休、学期）',
    en: 'A year of the campus calendar (holidays, make-up days, terms)',
  }),
  description: bi({
    zh: 'source：official（内置官方数据）、configured（校历文件按国务院通知录入）或 missing（无官方数据，按周末计算工作日）。holidays 含学校放假（closure）的日子；closures 列出涉及该年的学校放假及其名称；workdays 只列实际上班的调休日（放假期间的调休日不上班，与期限计算一致）。',
    en: 'source: official (bundled), configured (entered in the calendar file from the State Council notice) or missing (no official data: working days count weekends only). holidays include the days of the school’s closures; closures lists the closures that touch the year, by name; workdays lists only the make-up working days that are worked (one inside a closure is not, as deadlines count it).',
  }),
  request: { params: yearParams, query: langQuerySchema },
  responses: {
    200: documentResponse('application/json', { zh: '该年的校历', en: 'The year' }),
    ...problems([400, 401, 503]),
  },
});

export const calendarRouteDefinitions: RouteConfig[] = [calendarYearRoute];

/**
 * /api/calendar/{year}: the campus's calendar for a year (official holidays and
 * make-up working days, the school's closures, term dates; each day judged as the
 * deadline arithmetic judges it, domain/calendar-file.ts `calendarYear`) and where its
 * official part comes from: `official` (bundled), `configured` (entered in the
 * calendar file from the State Council's notice) or `missing`.
 * The calendar in force is the worker's: the newest version saved on the admin
 * page, else the file.
 */
export function calendarRoutes(deps: Pick<AppDeps, 'env' | 'aws'>): OpenAPIHono<AuthEnv> {
  const read = currentCalendarReader(deps.env, { ddb: deps.aws.ddb, tables: deps.aws.tables });
  const calendar = async (): Promise<CalendarFile> => {
    try {
      return (await read()).file;
    } catch (err) {
      if (err instanceof ConfigError)
        throw new ProblemError('unavailable', {
          zh: `校历文件有误，请管理员修正：${err.message}`,
          en: `the calendar file is not valid; an admin must fix it: ${err.message}`,
        });
      throw err;
    }
  };

  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(calendarYearRoute, async (c) => {
    const { year } = c.req.valid('param');
    return c.json(calendarYear(year, await calendar()), 200);
  });
  return app;
}
