// The SST v3 globals and component arguments this project's infrastructure uses,
// for the sst pinned in package.json (3.19.3), declared by hand so `npm run typecheck` covers sst.config.ts and infra/aws/
// offline. `sst install` generates the real declarations in .sst/platform/, but
// it downloads Pulumi from outside the package registries, which these machines
// cannot reach. Each declaration below follows the signature in SST 3.19's own
// source (platform/src/components/aws/*, embedded in the CLI binary of the pinned
// package); only the fields Rectify sets are listed.
// With network access, replace this file's contents with
// `/// <reference path="../../.sst/platform/config.d.ts" />` to check against the real ones.

/** Pulumi's helpers, as SST exposes them (`$util` = @pulumi/pulumi). */
declare namespace $util {
  /** A value known once the resource exists (deploy time). */
  interface Output<T> {
    apply<U>(fn: (value: T) => U | Output<U>): Output<U>;
  }
  type Input<T> = T | Output<T> | Promise<T>;
  interface CustomResourceOptions {
    /** Keep the cloud resource when Pulumi deletes it from the stack. */
    retainOnDelete?: boolean;
    protect?: boolean;
  }
}

/** `$config(...)`: the default export of sst.config.ts. */
interface SstAppInput {
  stage?: string;
}
interface SstApp {
  name: string;
  home: 'aws' | 'cloudflare' | 'local';
  /** `remove` deletes everything on `sst remove`; `retain` keeps data stores (tables, buckets). */
  removal?: 'remove' | 'retain' | 'retain-all';
  /** Refuses `sst remove` on this stage. */
  protect?: boolean;
}
interface SstConfig {
  app(input: SstAppInput): SstApp;
  run(): Promise<Record<string, unknown> | void>;
}
declare function $config(input: SstConfig): SstConfig;

/** The app being deployed: name, stage and the removal policy chosen in `app()`. */
declare const $app: {
  readonly name: string;
  readonly stage: string;
  readonly removal: 'remove' | 'retain' | 'retain-all';
  readonly protect: boolean;
};

declare namespace sst {
  /** `Partial<Args>` merged into the resource's args, or a callback that edits args and options in place. */
  type Transform<T> = Partial<T> | ((args: T, opts: $util.CustomResourceOptions, name: string) => undefined);

  /** `new sst.Secret(name, placeholder?)`: set with `sst secret set <name> <value>`; deploy fails if unset and no placeholder. */
  class Secret {
    constructor(name: string, placeholder?: string);
    readonly name: $util.Output<string>;
    readonly value: $util.Output<string>;
  }

  interface LinkableDefinition<T extends Record<string, unknown>> {
    properties: T;
    include?: aws.Permission[];
  }
  /** `new sst.Linkable(name, { properties, include })`: links any value (and IAM permissions) to functions and services. */
  class Linkable<T extends Record<string, unknown>> {
    constructor(name: string, definition: LinkableDefinition<T>);
    readonly name: $util.Output<string>;
    readonly properties: T;
  }

  namespace aws {
    interface Permission {
      actions: string[];
      resources: $util.Input<string>[];
      effect?: 'allow' | 'deny';
    }
    /** `sst.aws.permission({ actions, resources })`: an IAM statement carried by a link. */
    function permission(input: Permission): Permission;

    interface Dns {
      readonly provider: string;
    }
    /** `sst.aws.dns({ zone })`: records in a Route 53 hosted zone. */
    function dns(args?: { zone?: $util.Input<string> }): Dns;

    /** The subset of Pulumi's aws.dynamodb.TableArgs Rectify transforms. */
    interface DynamoTableArgs {
      pointInTimeRecovery?: $util.Input<{ enabled: $util.Input<boolean> }>;
      deletionProtectionEnabled?: $util.Input<boolean>;
      /** aws.dynamodb.Table's TTL block: DynamoDB deletes items past the epoch second in `attributeName`. */
      ttl?: $util.Input<{ attributeName: $util.Input<string>; enabled: $util.Input<boolean> }>;
    }
    interface DynamoArgs {
      fields: $util.Input<Record<string, 'string' | 'number' | 'binary'>>;
      primaryIndex: $util.Input<{ hashKey: $util.Input<string>; rangeKey?: $util.Input<string> }>;
      globalIndexes?: $util.Input<
        Record<
          string,
          $util.Input<{
            hashKey: $util.Input<string>;
            rangeKey?: $util.Input<string>;
            projection?: $util.Input<'all' | 'keys-only' | $util.Input<string>[]>;
          }>
        >
      >;
      transform?: { table?: Transform<DynamoTableArgs> };
    }
    /** `new sst.aws.Dynamo(name, args)`: a DynamoDB table, on-demand billing. */
    class Dynamo {
      constructor(name: string, args: DynamoArgs, opts?: $util.CustomResourceOptions);
      readonly name: $util.Output<string>;
      readonly arn: $util.Output<string>;
    }

    interface FunctionPermissionArgs {
      actions: string[];
      resources: $util.Input<string>[];
      effect?: 'allow' | 'deny';
    }
    interface FunctionArgs {
      /** `{path}/{file}.{export}`, e.g. `api/lambda.handler`. */
      handler: string;
      runtime?: 'nodejs18.x' | 'nodejs20.x' | 'nodejs22.x';
      architecture?: 'x86_64' | 'arm64';
      memory?: `${number} MB` | `${number} GB`;
      timeout?: `${number} second` | `${number} seconds` | `${number} minute` | `${number} minutes`;
      /** A Lambda function URL; `true` = public, no IAM auth (the app authenticates). */
      url?: boolean | { authorization?: 'none' | 'iam'; cors?: boolean };
      /** SST components (or sst.Linkable): grants their IAM permissions and exposes them to the code. */
      link?: $util.Input<unknown[]>;
      environment?: $util.Input<Record<string, $util.Input<string>>>;
      permissions?: $util.Input<FunctionPermissionArgs[]>;
      /** Files copied into the function's package beside the bundle (paths from the project root). */
      copyFiles?: { from: string; to?: string }[];
    }
    /** `new sst.aws.Function(name, args)`: a Lambda function, bundled with esbuild. */
    class Function {
      constructor(name: string, args: FunctionArgs, opts?: $util.CustomResourceOptions);
      readonly name: $util.Output<string>;
      readonly arn: $util.Output<string>;
      /** The function URL (set when `url` is). */
      readonly url: $util.Output<string>;
    }

    /** The subset of Pulumi's aws.sesv2.EmailIdentityArgs Rectify transforms. */
    interface EmailIdentityArgs {
      /** The configuration set applied to every message sent from this identity. */
      configurationSetName?: $util.Input<string>;
    }
    interface EmailArgs {
      /** An address or a whole domain (then DKIM records are needed). */
      sender: $util.Input<string>;
      /** `false` = add the DNS records by hand. */
      dns?: $util.Input<false | Dns>;
      dmarc?: $util.Input<string>;
      transform?: { identity?: Transform<EmailIdentityArgs> };
    }
    /** `new sst.aws.Email(name, args)`: an SES identity. */
    class Email {
      constructor(name: string, args: EmailArgs, opts?: $util.CustomResourceOptions);
      readonly sender: $util.Output<string>;
    }

    interface VpcArgs {
      nat?: $util.Input<'managed' | 'ec2'>;
      az?: $util.Input<number>;
    }
    /** `new sst.aws.Vpc(name, args)`: public and private subnets; `nat` lets private tasks reach the internet. */
    class Vpc {
      constructor(name: string, args?: VpcArgs, opts?: $util.CustomResourceOptions);
      readonly id: $util.Output<string>;
      readonly publicSubnets: $util.Output<string[]>;
      readonly privateSubnets: $util.Output<string[]>;
      readonly securityGroups: $util.Output<string[]>;
      readonly nodes: {
        readonly cloudmapNamespace: {
          readonly id: $util.Output<string>;
          readonly name: $util.Output<string>;
        };
      };
    }

    /** The VPC as explicit subnets: the services go in `containerSubnets` (no public IP unless a Vpc component is passed). */
    interface ClusterVpcArgs {
      id: $util.Input<string>;
      securityGroups: $util.Input<$util.Input<string>[]>;
      containerSubnets?: $util.Input<$util.Input<string>[]>;
      loadBalancerSubnets: $util.Input<$util.Input<string>[]>;
      cloudmapNamespaceId?: $util.Input<string>;
      cloudmapNamespaceName?: $util.Input<string>;
    }
    interface ClusterArgs {
      /** A Vpc component puts services in its public subnets with public IPs; the object form chooses the subnets. */
      vpc: Vpc | $util.Input<ClusterVpcArgs>;
    }
    /** `new sst.aws.Cluster(name, { vpc })`: an ECS cluster on Fargate. */
    class Cluster {
      constructor(name: string, args: ClusterArgs, opts?: $util.CustomResourceOptions);
      readonly name: $util.Output<string>;
      readonly arn: $util.Output<string>;
    }

    interface ServiceArgs {
      cluster: Cluster;
      /** Build context and Dockerfile, relative to the project root. */
      image?: $util.Input<{ context?: $util.Input<string>; dockerfile?: $util.Input<string> }>;
      architecture?: $util.Input<'x86_64' | 'arm64'>;
      cpu?: '0.25 vCPU' | '0.5 vCPU' | '1 vCPU' | '2 vCPU' | '4 vCPU' | '8 vCPU' | '16 vCPU';
      memory?: `${number} GB`;
      scaling?: $util.Input<{
        min?: $util.Input<number>;
        max?: $util.Input<number>;
        cpuUtilization?: $util.Input<false | number>;
        memoryUtilization?: $util.Input<false | number>;
      }>;
      /** SST components (or sst.Linkable): grants their IAM permissions and exposes them to the code. */
      link?: $util.Input<unknown[]>;
      environment?: $util.Input<Record<string, $util.Input<string>>>;
      /** Variable → SSM parameter or Secrets Manager ARN: the task definition's `secrets` (`valueFrom`), read by ECS at task start. */
      ssm?: $util.Input<Record<string, $util.Input<string>>>;
      permissions?: $util.Input<FunctionPermissionArgs[]>;
      transform?: { executionRole?: Transform<RoleArgs> };
    }
    /** The subset of Pulumi's aws.iam.RoleArgs Rectify transforms. */
    interface RoleArgs {
      inlinePolicies?: $util.Input<
        $util.Input<{ name?: $util.Input<string>; policy?: $util.Input<string> }>[]
      >;
    }
    /** `new sst.aws.Service(name, { cluster, ... })`: always-running Fargate tasks, scaled on CPU/memory. */
    class Service {
      constructor(name: string, args: ServiceArgs, opts?: $util.CustomResourceOptions);
    }

    /** The subset of Pulumi's aws.s3.BucketV2Args Rectify transforms. */
    interface BucketV2Args {
      forceDestroy?: $util.Input<boolean>;
      /** Only at creation: Object Lock cannot be turned on for an existing bucket this way. */
      objectLockEnabled?: $util.Input<boolean>;
    }
    interface BucketArgs {
      versioning?: $util.Input<boolean>;
      /** `"public"` or `"cloudfront"` opens reads; unset = private (all public access blocked). */
      access?: $util.Input<'public' | 'cloudfront'>;
      transform?: { bucket?: Transform<BucketV2Args> };
    }
    /** `new sst.aws.Bucket(name, args)`: an S3 bucket, private and HTTPS-only by default. */
    class Bucket {
      constructor(name: string, args?: BucketArgs, opts?: $util.CustomResourceOptions);
      readonly name: $util.Output<string>;
      readonly arn: $util.Output<string>;
    }
  }
}

/** The Pulumi AWS provider (6.66 in SST 3.19), a global in sst.config.ts (`home: 'aws'`). Only what Rectify creates directly. */
declare namespace aws {
  namespace ssm {
    interface ParameterArgs {
      name?: $util.Input<string>;
      type: $util.Input<'String' | 'StringList' | 'SecureString'>;
      value?: $util.Input<string>;
      tier?: $util.Input<'Standard' | 'Advanced' | 'Intelligent-Tiering'>;
      description?: $util.Input<string>;
    }
    /** An SSM Parameter Store parameter; SecureString values are encrypted with the account's aws/ssm key. */
    class Parameter {
      constructor(name: string, args: ParameterArgs, opts?: $util.CustomResourceOptions);
      readonly name: $util.Output<string>;
      readonly arn: $util.Output<string>;
    }
  }
  namespace s3 {
    interface LifecycleRule {
      id: $util.Input<string>;
      status: $util.Input<'Enabled' | 'Disabled'>;
      filter?: $util.Input<{ prefix?: $util.Input<string> }>;
      abortIncompleteMultipartUpload?: $util.Input<{ daysAfterInitiation?: $util.Input<number> }>;
      noncurrentVersionExpiration?: $util.Input<{ noncurrentDays?: $util.Input<number> }>;
      expiration?: $util.Input<{ days?: $util.Input<number> }>;
      transitions?: $util.Input<
        $util.Input<{ days?: $util.Input<number>; storageClass: $util.Input<string> }>[]
      >;
    }
    /** A bucket's lifecycle rules (the only lifecycle resource on the bucket: SST makes none when `lifecycle` is unset). */
    class BucketLifecycleConfigurationV2 {
      constructor(
        name: string,
        args: { bucket: $util.Input<string>; rules: $util.Input<$util.Input<LifecycleRule>[]> },
        opts?: $util.CustomResourceOptions,
      );
    }
    interface BucketObjectLockConfigurationV2Args {
      bucket: $util.Input<string>;
      objectLockEnabled?: $util.Input<'Enabled'>;
      rule?: $util.Input<{
        defaultRetention: $util.Input<{
          mode?: $util.Input<'COMPLIANCE' | 'GOVERNANCE'>;
          days?: $util.Input<number>;
          years?: $util.Input<number>;
        }>;
      }>;
    }
    /** The default retention every new object version of an Object Lock bucket gets. */
    class BucketObjectLockConfigurationV2 {
      constructor(
        name: string,
        args: BucketObjectLockConfigurationV2Args,
        opts?: $util.CustomResourceOptions,
      );
    }
  }
  namespace sesv2 {
    interface ConfigurationSetArgs {
      configurationSetName: $util.Input<string>;
      reputationOptions?: $util.Input<{ reputationMetricsEnabled?: $util.Input<boolean> }>;
      sendingOptions?: $util.Input<{ sendingEnabled?: $util.Input<boolean> }>;
      suppressionOptions?: $util.Input<{
        suppressedReasons?: $util.Input<$util.Input<'BOUNCE' | 'COMPLAINT'>[]>;
      }>;
      deliveryOptions?: $util.Input<{ tlsPolicy?: $util.Input<'REQUIRE' | 'OPTIONAL'> }>;
    }
    /** An SES v2 configuration set: reputation metrics, suppression of bounced/complaining addresses, TLS. */
    class ConfigurationSet {
      constructor(name: string, args: ConfigurationSetArgs, opts?: $util.CustomResourceOptions);
      readonly configurationSetName: $util.Output<string>;
      readonly arn: $util.Output<string>;
    }
    interface ConfigurationSetEventDestinationArgs {
      configurationSetName: $util.Input<string>;
      eventDestinationName: $util.Input<string>;
      eventDestination: $util.Input<{
        enabled?: $util.Input<boolean>;
        matchingEventTypes: $util.Input<$util.Input<string>[]>;
        /** Only the default bus is supported by SES. */
        eventBridgeDestination?: $util.Input<{ eventBusArn: $util.Input<string> }>;
      }>;
    }
    /** Where a configuration set publishes its mail events (here: EventBridge). */
    class ConfigurationSetEventDestination {
      constructor(
        name: string,
        args: ConfigurationSetEventDestinationArgs,
        opts?: $util.CustomResourceOptions,
      );
    }
  }
  namespace cloudwatch {
    /** Looks an event bus up by name (`default` is the account's default bus). */
    function getEventBusOutput(args: { name: $util.Input<string> }): { arn: $util.Output<string> };
    interface EventRuleArgs {
      eventBusName?: $util.Input<string>;
      /** JSON: the pattern events must match. */
      eventPattern?: $util.Input<string>;
    }
    /** An EventBridge rule. */
    class EventRule {
      constructor(name: string, args: EventRuleArgs, opts?: $util.CustomResourceOptions);
      readonly name: $util.Output<string>;
      readonly arn: $util.Output<string>;
    }
    /** Where a rule sends what it matched. */
    class EventTarget {
      constructor(
        name: string,
        args: { rule: $util.Input<string>; arn: $util.Input<string>; eventBusName?: $util.Input<string> },
        opts?: $util.CustomResourceOptions,
      );
    }
  }
  namespace lambda {
    /** Lets a service principal invoke a function. */
    class Permission {
      constructor(
        name: string,
        args: {
          action: $util.Input<string>;
          function: $util.Input<string>;
          principal: $util.Input<string>;
          sourceArn?: $util.Input<string>;
        },
        opts?: $util.CustomResourceOptions,
      );
    }
  }
}
