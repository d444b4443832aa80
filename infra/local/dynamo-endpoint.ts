/** Where `npm start` serves DynamoDB Local (its DYNAMODB_PORT, 8000 unless moved). */
export const localDynamoEndpoint = (vars: NodeJS.ProcessEnv = process.env): string =>
  `http://127.0.0.1:${vars.DYNAMODB_PORT || '8000'}`;
