/** Check results as the smoke test and the verifier print them: one line per check, a verdict, and JSON on request. */

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  /** Further lines under the check (what was seen, what to look at). */
  notes?: string[];
  ms?: number;
}

const MARK: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

export function formatChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length), 4);
  return checks
    .map((c) => {
      const took = c.ms !== undefined ? ` (${c.ms} ms)` : '';
      const head = `${MARK[c.status]}  ${c.name.padEnd(width)}  ${c.detail}${took}`;
      return [head, ...(c.notes ?? []).map((n) => `      ${' '.repeat(width)}  ${n}`)].join('\n');
    })
    .join('\n');
}

export function summarize(checks: Check[]): { passed: number; failed: number; skipped: number } {
  return {
    passed: checks.filter((c) => c.status === 'pass').length,
    failed: checks.filter((c) => c.status === 'fail').length,
    skipped: checks.filter((c) => c.status === 'skip').length,
  };
}
