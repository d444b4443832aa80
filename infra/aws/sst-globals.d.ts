// The SST v3 globals and component arguments this project's infrastructure uses,
// declared by hand so `npm run typecheck` covers sst.config.ts and infra/aws/
// offline. `sst install` generates the real declarations in .sst/platform/, but
// it downloads Pulumi from outside the package registries, which these machines
// cannot reach. Each declaration below follows SST's documented signature
// (sst.dev/docs/component/aws/*); only the fields Rectify sets are listed.
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
    }

    interface ClusterArgs {
      vpc: Vpc;
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
      permissions?: $util.Input<FunctionPermissionArgs[]>;
    }
    /** `new sst.aws.Service(name, { cluster, ... })`: always-running Fargate tasks, scaled on CPU/memory. */
    class Service {
      constructor(name: string, args: ServiceArgs, opts?: $util.CustomResourceOptions);
    }
  }
}

/** The Pulumi AWS provider, a global in sst.config.ts (`home: 'aws'`). Only what Rectify creates directly. */
declare namespace aws {
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
  }
}
