import { WORKER_BASE_IMAGE } from '../runtimes.ts';
import { stageParametersPattern } from './secrets.ts';
import {
  runtimeEnvironment,
  runtimeLinks,
  taskSecretReferences,
  type RuntimeResources,
} from './environment.ts';

/** The image the worker runs: built by SST from the repository root with this Dockerfile. */
export const WORKER_IMAGE = { context: '.', dockerfile: 'Dockerfile' } as const;
/** The Dockerfile's base image (a unit test keeps the two equal). */
export { WORKER_BASE_IMAGE };

/**
 * The Temporal worker as a long-running Fargate service. It only dials out
 * (Temporal Cloud, DynamoDB, S3, SES, SSM), so its tasks sit in the VPC's
 * private subnets without public IPs and reach out through the NAT instances
 * (one per availability zone). SST places a service in the public subnets with
 * a public IP when handed its Vpc component, so the cluster gets the VPC as
 * explicit subnets instead. At least one task always polls; more start when
 * CPU or memory stays high, up to RECTIFY_WORKER_MAX.
 */
export function createWorker(r: RuntimeResources, api: sst.aws.Function) {
  const vpc = new sst.aws.Vpc('Vpc', { nat: 'ec2' });
  const cluster = new sst.aws.Cluster('Cluster', {
    vpc: {
      id: vpc.id,
      securityGroups: vpc.securityGroups,
      containerSubnets: vpc.privateSubnets,
      loadBalancerSubnets: vpc.publicSubnets,
      cloudmapNamespaceId: vpc.nodes.cloudmapNamespace.id,
      cloudmapNamespaceName: vpc.nodes.cloudmapNamespace.name,
    },
  });
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
    // Credentials as task-definition `secrets` (parameter ARNs), set in the container by ECS at start.
    ssm: taskSecretReferences(r),
    transform: {
      // SST's execution role may read every parameter and secret in the account; this one reads
      // only this stage's credentials (its AWS-managed ECS policy stays as it is).
      executionRole: (args) => {
        args.inlinePolicies = [
          {
            name: 'inline',
            policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'ReadStageCredentials',
                  Effect: 'Allow',
                  Action: ['ssm:GetParameters'],
                  Resource: [stageParametersPattern()],
                },
              ],
            }),
          },
        ];
        return undefined;
      },
    },
  });
}
