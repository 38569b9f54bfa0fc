/**
 * Checks that nothing a run leaves behind (log, annotations, outputs,
 * summary, GITHUB_ENV) holds a secret or a pre-signed URL's signature.
 */
import { expect } from "vitest";
import type { ActionRun } from "../../scripts/run-action.mjs";

/** Query parameters that carry the local registry's signatures. */
const SIGNATURE = /X-Signature|X-Expires|[?&](sig|signature)=/i;

/** Everything a person or a later step can see of a run. */
export function visibleText(run: ActionRun): string {
  // `::add-mask::` lines are commands to the runner, which never shows them.
  const log = run.stdout
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
  return [
    log,
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
    run.githubEnv,
  ].join("\n");
}

/** Fails when a run shows any of `secrets` or any URL signature. */
export function expectNoLeak(run: ActionRun, secrets: string[]): void {
  const text = visibleText(run);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    expect(text.includes(secret), "a secret appears in the run's output").toBe(
      false,
    );
  }
  expect(SIGNATURE.test(text), `a URL signature appears:\n${text}`).toBe(false);
}

/** The token must have been masked before anything else was logged. */
export function expectMasked(run: ActionRun, token: string): void {
  const first = run.stdout.split("\n")[0];
  expect(first).toBe(`::add-mask::${token}`);
}
