// The workflow bundle's entry: workflow functions only.
export { rectificationCase } from './rectification-case/workflow.ts';
