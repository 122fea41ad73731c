// Problems found in a policy, each with the place it was found.

export type IssueSeverity = 'error' | 'warning';

export interface PolicyIssue {
  readonly severity: IssueSeverity;
  readonly file: string;
  /** 1-based; 0 when the problem has no single place (e.g. an empty document). */
  readonly line: number;
  readonly column: number;
  /** Dotted path such as `guardrails.maxStepPercent` or `regions.eu-central-1.capacity`. */
  readonly path: string;
  readonly message: string;
}

/** `policies/prod.yaml:14:7 guardrails.maxStepPercent: must be between 1 and 100` */
export function formatIssue(issue: PolicyIssue): string {
  const place = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const prefix = issue.severity === 'warning' ? 'warning: ' : '';
  const path = issue.path === '' ? '' : `${issue.path}: `;
  return `${place} ${prefix}${path}${issue.message}`;
}

/** `guardrails.maxStepPercent`, `pins[0].region`: list positions in brackets, as engineers write them. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' || /^\d+$/.test(String(p)) ? `${out}[${String(p)}]` : out === '' ? String(p) : `${out}.${String(p)}`), '');
}

/** Issues sorted by place, so output is stable and reads top to bottom. */
export function sortIssues(issues: readonly PolicyIssue[]): PolicyIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}
