// Rectify on AWS: `npx sst deploy --stage production` (docs/deploy.md), with the sst
// pinned in package.json (3.19.3): the arguments below follow that version's components.
// One module per concern under infra/aws/; nothing here names a resource.

export default $config({
  app(input) {
    // The one place that decides what a production stage keeps: tables survive
    // `sst remove` and carry deletion protection, and the stage refuses removal.
    const production = input.stage === 'production';
    return {
      name: 'rectify',
      home: 'aws',
      removal: production ? 'retain' : 'remove',
      protect: production,
    };
  },
  async run() {
    // SST evaluates this file before its globals exist, so modules load here.
    const { deploySettings } = await import('./infra/aws/settings.ts');
    const { createSecrets } = await import('./infra/aws/secrets.ts');
    const { createBuckets, createStorage } = await import('./infra/aws/storage.ts');
    const { createEmail } = await import('./infra/aws/email.ts');
    const { createApi } = await import('./infra/aws/api.ts');
    const { createWorker } = await import('./infra/aws/worker.ts');
    const { createMailEvents } = await import('./infra/aws/mail-events.ts');

    const settings = deploySettings(process.env);
    const resources = {
      settings,
      secrets: createSecrets(settings),
      storage: createStorage(),
      buckets: createBuckets(settings),
      mail: createEmail(settings),
    };
    const api = createApi(resources);
    createWorker(resources, api);
    // SES's Send events, so a mail whose worker died mid-send is not sent twice (store/mail-ledger.ts).
    createMailEvents(resources);

    return {
      api: api.url,
      mailFrom: resources.mail.from,
      mailConfigurationSet: resources.mail.configSet.configurationSetName,
      // For the operator's tools (directory loading, audit export): names come from here, not from memory.
      casesTable: resources.storage.cases.name,
      auditTable: resources.storage.audit.name,
      directoryTable: resources.storage.directory.name,
      opsTable: resources.storage.ops.name,
      evidenceBucket: resources.buckets.evidence.name,
      anchorBucket: resources.buckets.anchors.name,
    };
  },
});
