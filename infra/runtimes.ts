/**
 * The Node.js runtimes a deployment may run on, and the dates they stop being
 * supported, so a test can refuse a deploy configuration whose runtime is past
 * its date instead of AWS refusing the deploy (or, worse, accepting it onto a
 * runtime that no longer gets security fixes).
 *
 * Sources, checked on 2026-12-04; re-check them when adding a row:
 * - Lambda: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 *   ("Supported runtimes": Deprecation date, Block function create, Block function update)
 * - Node.js itself (the worker image): https://github.com/nodejs/Release (end of life)
 */

/** Dates are UTC days, as the AWS table gives them. */
export interface LambdaRuntime {
  id: string;
  /** Lambda stops patching the runtime and support ends. */
  deprecation: string;
  /** New functions on this runtime are refused from this day. */
  blockCreate: string;
  /** Updates to existing functions on this runtime are refused from this day. */
  blockUpdate: string;
}

export const lambdaNodeRuntimes: readonly LambdaRuntime[] = [
  { id: 'nodejs24.x', deprecation: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' },
  { id: 'nodejs22.x', deprecation: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' },
  { id: 'nodejs20.x', deprecation: '2026-04-30', blockCreate: '2026-08-31', blockUpdate: '2026-09-30' },
];

/** End of life of Node.js release lines (the worker's base image follows these). */
export const nodeEndOfLife: Readonly<Record<number, string>> = {
  24: '2028-04-30',
  22: '2027-04-30',
  20: '2026-04-30',
};

/** What the deploy configuration uses: the API function's runtime and the worker image's base. */
export const API_LAMBDA_RUNTIME = 'nodejs22.x';
export const WORKER_BASE_IMAGE = 'node:22-slim';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Why a Lambda runtime may not be deployed on `today`, or undefined when it may. */
export function lambdaRuntimeProblem(id: string, today: Date): string | undefined {
  const r = lambdaNodeRuntimes.find((x) => x.id === id);
  if (!r) return `${id} is not in infra/runtimes.ts (add its row from the AWS Lambda runtimes page)`;
  if (today >= day(r.deprecation)) return `${id} was deprecated on ${r.deprecation}: move to a newer runtime`;
  return undefined;
}

/** Why a `node:<major>…` image may not be deployed on `today`, or undefined when it may. */
export function nodeImageProblem(image: string, today: Date): string | undefined {
  const major = /^node:(\d+)(?:[.-]|$)/.exec(image)?.[1];
  const eol = major ? nodeEndOfLife[Number(major)] : undefined;
  if (!eol) return `${image}: no end-of-life date for its Node.js line in infra/runtimes.ts`;
  if (today >= day(eol)) return `${image}: Node.js ${major} reached its end of life on ${eol}`;
  return undefined;
}
