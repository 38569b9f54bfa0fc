// Runs the bundled action (dist/index.js) the way the GitHub runner does:
// inputs as INPUT_* variables, outputs and the job summary in files.
// Used by the demo and the end-to-end tests; needs nothing but Node.
// ACTION_ENTRY runs another copy of the bundle (e.g. one built elsewhere).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The runner's name for an input's variable. */
export function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** Reads a GITHUB_OUTPUT file (`name<<DELIMITER` blocks) into an object. */
export function parseOutputFile(text) {
  const outputs = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]);
      outputs[name] = value.join("\n");
    } else if (lines[i].includes("=")) {
      const at = lines[i].indexOf("=");
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return outputs;
}

/**
 * The runner's environment for one run: inputs as INPUT_* variables and
 * fresh GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_ENV files in a
 * temporary RUNNER_TEMP. `read()` collects what the run left there.
 */
export function prepareRunner({ inputs = {}, env = {}, workspace } = {}) {
  const temp = mkdtempSync(path.join(tmpdir(), "run-action-"));
  const files = {
    output: path.join(temp, "github_output"),
    summary: path.join(temp, "step_summary"),
    env: path.join(temp, "github_env"),
  };
  for (const file of Object.values(files)) writeFileSync(file, "");
  const runnerEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace ?? temp,
    RUNNER_TEMP: temp,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    ...env,
  };
  for (const [name, value] of Object.entries(inputs)) {
    runnerEnv[inputVariable(name)] = String(value);
  }
  const read = () => ({
    outputs: parseOutputFile(readFileSync(files.output, "utf8")),
    summary: readFileSync(files.summary, "utf8"),
    githubEnv: readFileSync(files.env, "utf8"),
    runnerTemp: temp,
  });
  return { env: runnerEnv, read };
}

/**
 * Runs dist/index.js with `inputs` and returns its exit code, log, outputs
 * and summary. `node` picks the Node binary (default: this one).
 */
export async function runAction({
  inputs = {},
  env = {},
  node = process.execPath,
  workspace,
  entry = process.env.ACTION_ENTRY || path.join(root, "dist", "index.js"),
  timeoutMs = 120_000,
} = {}) {
  const runner = prepareRunner({ inputs, env, workspace });
  const child = spawn(node, [entry], {
    cwd: runner.env.GITHUB_WORKSPACE,
    env: runner.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr, ...runner.read() };
}
