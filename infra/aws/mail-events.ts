import { API_LAMBDA_RUNTIME } from '../runtimes.ts';
import type { RuntimeResources } from './environment.ts';

/** Where the function's entry lives (infra/mail-events.ts, export `handler`). */
export const MAIL_EVENTS_HANDLER = 'infra/mail-events.handler';

/**
 * SES's record of what it accepted, where the outbox can ask it (store/mail-ledger.ts): the mail
 * configuration set publishes each Send event to the default event bus (the only bus SES
 * publishes to), a rule hands those to a small function, and the function writes one row per
 * outbox mail in the ops table. Only for mail through SES: an SMTP relay publishes nothing.
 */
export function createMailEvents(r: RuntimeResources) {
  if (r.settings.mailTransport !== 'ses') return undefined;
  const fn = new sst.aws.Function('MailEvents', {
    handler: MAIL_EVENTS_HANDLER,
    runtime: API_LAMBDA_RUNTIME,
    architecture: 'arm64',
    memory: '256 MB',
    // One conditional-free PutItem per event.
    timeout: '10 seconds',
    link: [r.storage.ops],
    environment: { TABLE_OPS: r.storage.ops.name },
  });
  const bus = aws.cloudwatch.getEventBusOutput({ name: 'default' });
  new aws.sesv2.ConfigurationSetEventDestination('MailSendEvents', {
    configurationSetName: r.mail.configSet.configurationSetName,
    eventDestinationName: 'outbox-send',
    eventDestination: {
      enabled: true,
      matchingEventTypes: ['SEND'],
      eventBridgeDestination: { eventBusArn: bus.arn },
    },
  });
  const rule = new aws.cloudwatch.EventRule('MailSendRule', {
    eventBusName: 'default',
    eventPattern: JSON.stringify({ source: ['aws.ses'], 'detail-type': ['Email Sent'] }),
  });
  new aws.cloudwatch.EventTarget('MailSendTarget', { rule: rule.name, arn: fn.arn });
  new aws.lambda.Permission('MailSendInvoke', {
    action: 'lambda:InvokeFunction',
    function: fn.name,
    principal: 'events.amazonaws.com',
    sourceArn: rule.arn,
  });
  return fn;
}
