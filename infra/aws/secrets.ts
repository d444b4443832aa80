/**
 * The values that must never sit in the repository, set per stage with
 * `sst secret set <Name> <value> --stage <stage>` (SST keeps them encrypted in
 * the account). Temporal is reached with an API key or with an mTLS
 * certificate and key: the unused kind keeps its empty placeholder, and the
 * processes refuse to start unless exactly one kind is set.
 */
export function createSecrets() {
  return {
    /** Temporal Cloud endpoint, e.g. `<namespace>.<account>.tmprl.cloud:7233`. */
    temporalAddress: new sst.Secret('TemporalAddress'),
    /** e.g. `<namespace>.<account>`. */
    temporalNamespace: new sst.Secret('TemporalNamespace'),
    temporalApiKey: new sst.Secret('TemporalApiKey', ''),
    /** PEM text of the client certificate (mTLS), e.g. `sst secret set TemporalTlsCert < client.pem`. */
    temporalTlsCert: new sst.Secret('TemporalTlsCert', ''),
    temporalTlsKey: new sst.Secret('TemporalTlsKey', ''),
    /** `{"current":"k1","keys":{"k1":"<≥ 32 random characters>"}}`: signs one-click email links. */
    linkSigningKeys: new sst.Secret('LinkSigningKeys'),
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
    oidcClientSecret: new sst.Secret('OidcClientSecret'),
  };
}

export type Secrets = ReturnType<typeof createSecrets>;
