/** Settings for command tests, built the way the action builds them. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseSettings, type Settings } from "../../src/inputs.js";

/** Settings from `inputs`, with a workspace of its own unless given. */
export function settingsFor(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
): Settings {
  const workspace =
    env.GITHUB_WORKSPACE ?? mkdtempSync(path.join(tmpdir(), "command-"));
  return parseSettings((name) => inputs[name] ?? "", {
    RUNNER_TEMP: tmpdir(),
    ...env,
    GITHUB_WORKSPACE: workspace,
  });
}
