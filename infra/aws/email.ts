import type { DeploySettings } from './settings.ts';

/**
 * The SES side: the mail domain as a verified identity, and a configuration
 * set applied to everything it sends (bounced and complaining addresses are
 * suppressed, reputation is tracked, TLS required by default), set as the identity's
 * default so the application needs no change to use it.
 */
export function createEmail(settings: DeploySettings) {
  const configSet = new aws.sesv2.ConfigurationSet('MailConfigSet', {
    configurationSetName: `${$app.name}-${$app.stage}-mail`,
    reputationOptions: { reputationMetricsEnabled: true },
    sendingOptions: { sendingEnabled: true },
    suppressionOptions: { suppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    // REQUIRE unless the school's mail servers lack STARTTLS (RECTIFY_MAIL_TLS_POLICY, docs/deploy.md).
    deliveryOptions: { tlsPolicy: settings.mailTlsPolicy },
  });
  const identity = new sst.aws.Email('Mail', {
    sender: settings.mailDomain,
    // Without a Route 53 zone the school adds the DKIM records at its own DNS host (docs/deploy.md).
    dns: settings.route53Zone ? sst.aws.dns({ zone: settings.route53Zone }) : false,
    dmarc: 'v=DMARC1; p=quarantine; adkim=s; aspf=s;',
    transform: { identity: { configurationSetName: configSet.configurationSetName } },
  });
  // Sending through an identity whose default configuration set is this one needs permission on the set too.
  const configSetLink = new sst.Linkable('MailConfig', {
    properties: { configurationSet: configSet.configurationSetName, from: settings.mailFrom },
    include: [
      sst.aws.permission({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [configSet.arn] }),
    ],
  });
  return { identity, configSet, configSetLink, from: settings.mailFrom };
}

export type Mail = ReturnType<typeof createEmail>;
