import { runtimeEnvironment, runtimeLinks, type RuntimeResources } from './environment.ts';

/** The image the worker runs: built by SST from the repository root with this Dockerfile. */
export const WORKER_IMAGE = { context: '.', dockerfile: 'Dockerfile' } as const;

/**
 * The Temporal worker as a long-running Fargate service. It only dials out
 * (Temporal Cloud, DynamoDB, SES), so it sits in private subnets behind a NAT
 * instance and exposes no port. At least one task always polls; more start
 * when CPU or memory stays high, up to RECTIFY_WORKER_MAX.
 */
export function createWorker(r: RuntimeResources, api: sst.aws.Function) {
  const vpc = new sst.aws.Vpc('Vpc', { nat: 'ec2' });
  const cluster = new sst.aws.Cluster('Cluster', { vpc });
  // Email links must point at the API: the school's own address when it has one, else the function URL.
  const publicBaseUrl = r.settings.publicUrl ?? api.url.apply((url) => url.replace(/\/+$/, ''));
  return new sst.aws.Service('Worker', {
    cluster,
    image: WORKER_IMAGE,
    architecture: 'x86_64',
    cpu: '0.5 vCPU',
    memory: '1 GB',
    scaling: { min: 1, max: r.settings.workerMax, cpuUtilization: 60, memoryUtilization: 75 },
    link: runtimeLinks(r),
    environment: { ...runtimeEnvironment(r, publicBaseUrl), ...r.settings.schedules },
  });
}
