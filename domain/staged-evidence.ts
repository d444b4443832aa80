/**
 * The owner of photos stored before their case has a number (the new-case form's): nobody's
 * case, so no page shows them, and a case takes them by becoming their owner. Shared by the page
 * that stages and adopts them and by the sweep that removes those no case took.
 */
export const STAGING_PREFIX = 'opening-';

/** The owner one post takes its kept photos under while it opens its case: a staging owner too. */
export const CLAIM_PREFIX = `${STAGING_PREFIX}claim-`;

/** Whether a file's owner is a staging owner: stored for a case not opened yet, or never opened. */
export const isStagingOwner = (owner: string) => owner.startsWith(STAGING_PREFIX);
