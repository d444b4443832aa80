/**
 * The local commands speak to a person at a terminal: the AWS SDK's notice that
 * its releases after January 2027 need Node 22 says nothing about this install
 * (package-lock.json pins the SDK), so it stays out of `npm start`,
 * `npm run token` and `npm run bench`. The deployed worker and API keep it in their logs.
 */
export function quietSdkNodeVersionNotice(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
