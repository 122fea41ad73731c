// The plan's summary and one-line headline, derived from its changes and holds.

import type { Hold, PlanSummary, PlannedChange, RegionAssessment } from './types.js';

export function summarizePlan(
  changes: readonly PlannedChange[],
  holds: readonly Hold[],
  regions: readonly RegionAssessment[],
  moved: { readonly movedDemandPercent: number; readonly meanAddedMs: number },
): PlanSummary {
  const dryRunChangeCount = changes.filter((c) => c.dryRun).length;
  const globalHold = holds.find((h) => h.scope.kind === 'global');
  const verdict = globalHold !== undefined ? 'hold' : changes.length > 0 ? 'changes' : 'no-changes';
  const hotRegions = regions.filter((r) => r.condition === 'hot').map((r) => r.region);
  let headline: string;
  if (globalHold !== undefined) headline = `Hold (${globalHold.reason}): ${globalHold.message}. No changes.`;
  else if (changes.length === 0) headline = holds.length > 0 ? `No changes. ${holds.length} hold(s).` : 'No changes.';
  else {
    const dials = changes.filter((c) => c.kind === 'dial').length;
    const weights = changes.length - dials;
    const parts = [dials > 0 ? `${dials} dial change(s)` : '', weights > 0 ? `${weights} weight change(s)` : ''].filter((p) => p !== '');
    headline = `${parts.join(', ')}${dryRunChangeCount > 0 ? ` (${dryRunChangeCount} dry-run)` : ''}${holds.length > 0 ? `, ${holds.length} hold(s)` : ''}.`;
  }
  return {
    verdict,
    changeCount: changes.length,
    appliedChangeCount: changes.length - dryRunChangeCount,
    dryRunChangeCount,
    holdCount: holds.length,
    hotRegions,
    movedDemandPercent: Math.round(moved.movedDemandPercent * 10) / 10,
    predictedMeanAddedLatencyMs: Math.round(moved.meanAddedMs * 10) / 10,
    headline,
  };
}
