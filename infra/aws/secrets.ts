import type { DeploySettings } from './settings.ts';

/**
 * The values that must never sit in the repository, set per stage with
 * `npx sst secret set <Name> <value> --stage <stage>` (SST keeps them
 * encrypted in its state in the account).
 *
 * Two kinds:
 * - settings that vary per school but are not sensitive (`settings`): they
 *   reach the processes as ordinary environment values;
 * - credentials (`stored`): each is copied into an SSM Parameter Store
 *   SecureString, and the processes get only a reference to it: the worker's
 *   task definition names the parameter's ARN in `secrets` (ECS injects the
 *   value when the task starts), the Lambda gets the parameter's name and
 *   fetches it once per cold start (infra/secrets-fetch.ts). No credential is
 *   ever a plain value in a task definition or a function configuration, and
 *   none is linked as an SST resource (which would put it in the task
 *   definition's environment).
 *
 * Temporal is reached with an API key or with an mTLS certificate and key,
 * chosen by RECTIFY_TEMPORAL_AUTH: the deploy requires exactly that kind.
 */
export function createSecrets(settings: DeploySettings) {
  const config = {
    /** API key: `<region>.<cloud>.api.temporal.io:7233`; mTLS (or High Availability): `<namespace>.<account>.tmprl.cloud:7233`. */
    temporalAddress: new sst.Secret('TemporalAddress'),
    /** e.g. `<namespace>.<account>`. */
    temporalNamespace: new sst.Secret('TemporalNamespace'),
    /** The school identity provider's JSON Web Key Set URL: bearer tokens are verified against it. */
    jwksUrl: new sst.Secret('JwksUrl'),
    /** The `iss` the identity provider puts in its tokens: a token from another issuer is refused. */
    jwtIssuer: new sst.Secret('JwtIssuer'),
    /** This API's audience (`aud`), comma-separated if several: tokens minted for other apps are refused. */
    jwtAudience: new sst.Secret('JwtAudience'),
    /** The school identity provider's issuer (https) for web sign-in: OpenID Connect discovery starts there. */
    oidcIssuer: new sst.Secret('OidcIssuer'),
    /** This app's client at the identity provider (authorization code flow with PKCE, client_secret_basic). */
    oidcClientId: new sst.Secret('OidcClientId'),
  };
  type Credential = readonly [SecretVariable, string];
  const temporalCredentials: Credential[] =
    settings.temporalAuth === 'api-key'
      ? [['TEMPORAL_API_KEY', 'TemporalApiKey']]
      : [
          // PEM text, e.g. `npx sst secret set TemporalTlsCert --stage <stage> < client.pem`.
          ['TEMPORAL_TLS_CERT', 'TemporalTlsCert'],
          ['TEMPORAL_TLS_KEY', 'TemporalTlsKey'],
        ];
  const credentials: Credential[] = [
    ...temporalCredentials,
    // `{"current":"k1","keys":{"k1":"<≥ 32 random characters>"}}`: signs one-click email links.
    ['LINK_SIGNING_KEYS', 'LinkSigningKeys'],
    // The client secret the school's identity provider issued to Rectify's web sign-in.
    ['OIDC_CLIENT_SECRET', 'OidcClientSecret'],
    // The school's SMTP relay with its login, `smtp://user:password@relay:587`, when mail goes there.
    ...(settings.mailTransport === 'smtp' ? ([['SMTP_URL', 'SmtpUrl']] as const) : []),
  ];
  const stored = credentials.map(([variable, name]) => {
    const secret = new sst.Secret(name);
    // Under the app and stage, so one IAM statement can name a stage's parameters (docs/deploy.md).
    const parameterName = `/${$app.name}/${$app.stage}/${name}`;
    const parameter = new aws.ssm.Parameter(`${name}Parameter`, {
      name: parameterName,
      type: 'SecureString',
      // A PEM chain can pass the standard tier's 4 KB; SSM then moves that one parameter to advanced.
      tier: 'Intelligent-Tiering',
      value: secret.value,
      description: `Rectify ${variable} (from sst secret ${name})`,
    });
    return { variable, secret, parameter, parameterName };
  });
  return { config, stored };
}

/**
 * Every credential parameter of this stage, as an IAM resource pattern (partition, region and
 * account left to the policy's own): what the worker's execution role may read, and nothing more.
 */
export const stageParametersPattern = () => `arn:*:ssm:*:*:parameter/${$app.name}/${$app.stage}/*`;

/** The environment variables whose values only ever travel as parameter references. */
export const SECRET_VARIABLES = [
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'LINK_SIGNING_KEYS',
  'OIDC_CLIENT_SECRET',
  'SMTP_URL',
] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

export type Secrets = ReturnType<typeof createSecrets>;
