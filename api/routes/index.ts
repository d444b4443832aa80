import type { RouteConfig } from '@hono/zod-openapi';
import { actionLinkRouteDefinitions, actionLinkRoutes } from './action-links.tsx';
import { auditRouteDefinitions, auditRoutes } from './audit.ts';
import { auditJobRouteDefinitions, auditJobRoutes } from './audit-jobs.ts';
import { calendarRouteDefinitions, calendarRoutes } from './calendar.ts';
import { caseStepRouteDefinitions, caseStepRoutes } from './case-steps.ts';
import { caseRouteDefinitions, caseRoutes } from './cases.ts';
import { directoryRouteDefinitions, directoryRoutes } from './directory.ts';
import { dutyRouteDefinitions, dutyRoutes } from './duties.tsx';
import { kpiRouteDefinitions, kpiRoutes } from './kpis.ts';
import { reportLinkRouteDefinitions, reportLinkRoutes } from './report-link-pages.tsx';
import { systemRouteDefinitions } from './system.tsx';
import { pageRouteDefinitions } from '../pages/page-routes.ts';
import { stuckCaseRouteDefinitions, stuckCaseRoutes } from './stuck-cases.ts';
import { weeklyReportRouteDefinitions, weeklyReportRoutes } from './weekly-reports.ts';

/**
 * Every resource's routes, each a module that declares its routes with
 * `createRoute` (full paths) and registers them with `app.openapi`; the app
 * mounts them all the same way, at the root. (/health, /openapi.json and
 * /docs are mounted by the app too: they need the whole app's document.)
 */
export const resourceRoutes = [
  caseRoutes,
  caseStepRoutes,
  auditRoutes,
  auditJobRoutes,
  directoryRoutes,
  weeklyReportRoutes,
  kpiRoutes,
  calendarRoutes,
  actionLinkRoutes,
  reportLinkRoutes,
  stuckCaseRoutes,
  dutyRoutes,
] as const;

/** Every route declaration, in document order. */
export const routeDefinitions: readonly RouteConfig[] = [
  ...caseRouteDefinitions,
  ...caseStepRouteDefinitions,
  ...auditRouteDefinitions,
  ...auditJobRouteDefinitions,
  ...directoryRouteDefinitions,
  ...weeklyReportRouteDefinitions,
  ...kpiRouteDefinitions,
  ...calendarRouteDefinitions,
  ...actionLinkRouteDefinitions,
  ...reportLinkRouteDefinitions,
  ...stuckCaseRouteDefinitions,
  ...dutyRouteDefinitions,
  ...systemRouteDefinitions,
  ...pageRouteDefinitions,
];
