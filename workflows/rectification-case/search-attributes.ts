import { defineSearchAttributeKey, type SearchAttributeType } from '@temporalio/common';

/**
 * The custom search attributes the case workflow keeps current, so the Temporal UI and
 * `temporal workflow list --query` filter cases. The one definition: the workflow upserts
 * these keys, the local stack registers them on its dev server, and a Cloud namespace is
 * given them from `searchAttributeTypes` (docs/deploy.md). Pure, safe in workflow code.
 */
export const searchKeys = {
  building: defineSearchAttributeKey('RectifyBuilding', 'KEYWORD'),
  stage: defineSearchAttributeKey('RectifyStage', 'KEYWORD'),
  severity: defineSearchAttributeKey('RectifySeverity', 'KEYWORD'),
  assignee: defineSearchAttributeKey('RectifyAssignee', 'KEYWORD'),
  overdue: defineSearchAttributeKey('RectifyOverdue', 'BOOL'),
  /** Why an effect of the case failed for good (absent while none waits for an admin). */
  stuck: defineSearchAttributeKey('RectifyStuck', 'KEYWORD'),
};

/** How the Temporal CLI and tcld spell the types (`--search-attribute RectifyStage=Keyword`). */
export type CliSearchAttributeType = 'Keyword' | 'Bool';
const cliType = (t: SearchAttributeType): CliSearchAttributeType => (t === 'BOOL' ? 'Bool' : 'Keyword');

/** Every case search attribute by name, with its type as the CLI spells it. */
export const searchAttributeTypes: Readonly<Record<string, CliSearchAttributeType>> = Object.fromEntries(
  Object.values(searchKeys).map((k) => [k.name, cliType(k.type)]),
);
