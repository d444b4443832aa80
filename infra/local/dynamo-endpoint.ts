import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Where `npm start` serves DynamoDB Local (its DYNAMODB_PORT, 8000 unless moved). */
export const localDynamoEndpoint = (vars: NodeJS.ProcessEnv = process.env): string =>
  `http://127.0.0.1:${vars.DYNAMODB_PORT || '8000'}`;

/**
 * Whether the AWS SDK would find credentials of its own: variables, a web identity, a container
 * role, or a shared config or credentials file. Without any, a command that reads the tables
 * can only mean the local stack.
 */
export function awsCredentialsConfigured(vars: NodeJS.ProcessEnv = process.env, home = homedir()): boolean {
  const named = [
    'AWS_ACCESS_KEY_ID',
    'AWS_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ].some((name) => Boolean(vars[name]));
  const files = [
    vars.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws/credentials'),
    vars.AWS_CONFIG_FILE || path.join(home, '.aws/config'),
  ];
  return named || files.some((f) => existsSync(f));
}
