import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/**
 * Makes a conditional write: true when it was made, false when its condition did not hold (the
 * answer such a write exists for: already taken, already used, not ours); any other failure is
 * thrown.
 */
export async function conditionHeld(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}
