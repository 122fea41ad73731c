// ga-steer as a library: the pure decision core and its contracts.

export { evaluate, type Evaluation } from './planner/evaluate.js';
export { emptyControllerState, controllerStateSchema, storedControllerStateSchema, type ControllerState, type ControllerStateInput } from './planner/controller-state.js';
export { parsePolicyText, type PolicyParseOptions, type PolicyParseResult, type PolicyUse } from './policy/parse-policy.js';
export { policySchema, POLICY_API_VERSION, type Policy } from './policy/schema.js';
export { formatIssue, type PolicyIssue } from './policy/issues.js';
export { parseSnapshotText } from './snapshot/parse-snapshot.js';
export { snapshotSchema, SNAPSHOT_VERSION, type Snapshot } from './snapshot/schema.js';
export { predictLanding, type RoutingGroupState } from './model/routing.js';
export { PLAN_FORMAT_VERSION, type Plan, type PlannedChange, type Hold } from './plan/types.js';
export { renderPlanText } from './plan/render-text.js';
export { renderPlanMarkdown } from './plan/render-markdown.js';
