// Measuring one process: wall time from spawn to exit and peak RSS as
// GNU time reports it, or the time to its first line of output.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";

export const GNU_TIME = "/usr/bin/time";

/** Fails with the fix when a tool the benchmark needs is missing. */
export function requireTools() {
  const missing = [];
  const time = existsSync(GNU_TIME)
    ? spawnSync(GNU_TIME, ["-v", "true"], { encoding: "utf8" })
    : undefined;
  if (!time || !/Maximum resident set size/.test(time.stderr ?? "")) {
    missing.push(
      `GNU time at ${GNU_TIME} (for wall time and peak RSS): ` +
        "apt-get update && apt-get install -y time",
    );
  }
  for (const [tool, args, fix] of [
    ["curl", ["--version"], "apt-get install -y curl"],
    ["tar", ["--version"], "apt-get install -y tar gzip (GNU tar)"],
  ]) {
    const run = spawnSync(tool, args, { encoding: "utf8" });
    if (run.status !== 0) missing.push(`${tool}: ${fix}`);
  }
  if (!/GNU tar/.test(spawnSync("tar", ["--version"]).stdout ?? "")) {
    missing.push("GNU tar (the comparison is with tar -czf of GNU tar)");
  }
  if (missing.length > 0) {
    throw new Error(`npm run bench needs:\n  ${missing.join("\n  ")}`);
  }
}

/**
 * Runs `command args` under `/usr/bin/time -v` and returns its exit code,
 * wall time in ms (spawn to exit) and peak RSS in MB.
 */
export async function timeProcess(command, args, options = {}) {
  const started = performance.now();
  const child = spawn(GNU_TIME, ["-v", command, ...args], {
    ...options,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on("close", resolve));
  const ms = performance.now() - started;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (code !== 0 || !rss) {
    throw new Error(
      `${command} ${args.join(" ")} exited with ${code}:\n` +
        `${stdout.slice(-2000)}\n${stderr.slice(-2000)}`,
    );
  }
  return { ms, rssMb: Number(rss[1]) / 1024, stdout };
}

/** Milliseconds from spawn to the first byte on stdout, and to exit. */
export async function timeFirstLine(command, args, options = {}) {
  const started = performance.now();
  const child = spawn(command, args, {
    ...options,
    stdio: ["ignore", "pipe", "ignore"],
  });
  let first;
  child.stdout.once("data", () => (first = performance.now() - started));
  child.stdout.resume();
  await new Promise((resolve) => child.on("close", resolve));
  return { first: first ?? Number.NaN, exit: performance.now() - started };
}

/** The median of some numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
