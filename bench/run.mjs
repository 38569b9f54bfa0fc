// npm run bench: publishes generated schemas of 1, 50 and 200 MB and a
// template of 5,000 files through the bundled action and through a curl
// baseline, against the local registry; measures wall time, peak RSS,
// start-up and the template archive; writes bench/results.md.
// Needs dist/ (npm run build), GNU time, curl and GNU tar.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { prepareRunner } from "../scripts/run-action.mjs";
import { writeSchema, writeTemplate } from "./generate.mjs";
import {
  median,
  requireTools,
  timeFirstLine,
  timeProcess,
} from "./measure.mjs";
import { renderResults } from "./report.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "bench", "out");
// The bundle is copied first, so that a rebuild during the run changes nothing.
const dist = path.join(out, "dist");
const action = path.join(dist, "index.js");
const curlPublish = path.join(root, "bench", "curl-publish.sh");
const PUBLISHER = "bench-org";
const SIZES = [
  { mb: 1, runs: 5 },
  { mb: 50, runs: 5 },
  { mb: 200, runs: 3 },
];
const TEMPLATE_RUNS = 5;
const STARTUP_RUNS = 15;

async function main() {
  requireTools();
  if (!existsSync(path.join(root, "dist", "index.js"))) {
    throw new Error("dist/index.js is missing: run npm run build first.");
  }
  rmSync(dist, { recursive: true, force: true });
  cpSync(path.join(root, "dist"), dist, { recursive: true });
  const started = Date.now();
  const results = { machine: describeMachine(), load: [loadavg()[0]] };
  mkdirSync(out, { recursive: true });
  const docs = writeDocs();

  results.packages = [];
  for (const size of SIZES) {
    const schema = path.join(out, `schema-${size.mb}mb.json`);
    log(`Generating a ${size.mb} MB schema`);
    await writeSchema(schema, size.mb * 1_000_000);
    results.packages.push(await benchPackage(size, schema, docs));
    rmSync(schema);
  }
  log("Generating a template of 5,000 small files and 3 large ones");
  const template = path.join(out, "template");
  rmSync(template, { recursive: true, force: true });
  writeTemplate(template);
  results.template = await benchTemplate(template);
  results.startup = await benchStartup(docs);
  results.bundle = describeBundle();
  results.load.push(loadavg()[0]);
  results.minutes = (Date.now() - started) / 60_000;

  const file = path.join(root, "bench", "results.md");
  writeFileSync(file, renderResults(results));
  log(`Wrote ${path.relative(process.cwd(), file)}`);
}

function log(message) {
  console.log(`[bench] ${message}`);
}

function describeMachine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown";
  return { cpu: model, cores: cpus().length, node: process.version };
}

function writeDocs() {
  const index = path.join(out, "_index.md");
  const install = path.join(out, "installation-configuration.md");
  writeFileSync(index, "# Bench\n\nThe benchmark package.\n");
  writeFileSync(install, "# Installation\n\nNothing to configure.\n");
  return { index, install };
}

/** A fresh local registry per case, so earlier uploads weigh on no run. */
async function startRegistry() {
  const child = spawn(
    process.execPath,
    [path.join(dist, "local-registry", "index.js"), "--json"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) =>
      reject(new Error(`the local registry exited with ${code}`)),
    );
  });
  const ready = JSON.parse(line);
  return { ...ready, stop: () => child.kill("SIGTERM") };
}

let versions = 0;
function nextVersion(major) {
  return `${major}.0.${++versions}`;
}

/** The runner's environment for one run; outputs() reads and cleans up. */
function actionEnv(inputs, workspace, env = {}) {
  const runner = prepareRunner({ inputs, env, workspace });
  return {
    env: runner.env,
    outputs: () => {
      const { outputs, runnerTemp } = runner.read();
      rmSync(runnerTemp, { recursive: true, force: true });
      return outputs;
    },
  };
}

async function runAction(inputs, workspace, extra) {
  const run = actionEnv(inputs, workspace, extra);
  const measured = await timeProcess(process.execPath, [action], {
    env: run.env,
    cwd: workspace,
  });
  return { ...measured, outputs: run.outputs() };
}

async function runCurl(args) {
  return timeProcess("bash", [curlPublish, ...args]);
}

/** Action and baseline runs alternate, so that drift hits both alike. */
async function alternate(runs, first, second) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      a.push(await first());
      b.push(await second());
    } else {
      b.push(await second());
      a.push(await first());
    }
  }
  return [a, b];
}

async function benchPackage(size, schema, docs) {
  log(`Publishing the ${size.mb} MB schema, ${size.runs} runs each side`);
  const bytes = statSync(schema).size;
  const sha256 = await sha256Of(schema);
  const registry = await startRegistry();
  try {
    const inputs = (version) => ({
      publisher: PUBLISHER,
      schema,
      readme: docs.index,
      "installation-configuration": docs.install,
      version,
      "cloud-url": registry.apiUrl,
    });
    const token = { PULUMI_ACCESS_TOKEN: registry.token };
    const [actionRuns, curlRuns] = await alternate(
      size.runs,
      async () => {
        const run = await runAction(inputs(nextVersion(1)), out, token);
        checkPublished(run.outputs, sha256);
        return run;
      },
      () =>
        runCurl([
          registry.apiUrl,
          registry.token,
          "package",
          "bench",
          nextVersion(2),
          schema,
          docs.index,
          docs.install,
        ]),
    );
    const checks = [];
    for (let i = 0; i < size.runs; i++) {
      const dry = { ...inputs(nextVersion(3)), "dry-run": true };
      checks.push(await runAction(dry, out));
    }
    return { ...size, bytes, action: actionRuns, curl: curlRuns, checks };
  } finally {
    registry.stop();
  }
}

function checkPublished(outputs, sha256) {
  const schema = JSON.parse(outputs.artifacts ?? "[]").find(
    (a) => a.name === "schema",
  );
  if (outputs.status !== "published" || schema?.sha256 !== sha256) {
    throw new Error(`unexpected outputs: ${JSON.stringify(outputs)}`);
  }
}

async function sha256Of(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}

async function benchTemplate(dir) {
  log(`Publishing the template, ${TEMPLATE_RUNS} runs each side`);
  const archive = path.join(out, "template.tar.gz");
  const registry = await startRegistry();
  let publish;
  try {
    const token = { PULUMI_ACCESS_TOKEN: registry.token };
    publish = await alternate(
      TEMPLATE_RUNS,
      () =>
        runAction(
          {
            kind: "template",
            publisher: PUBLISHER,
            "template-directory": dir,
            version: nextVersion(1),
            "cloud-url": registry.apiUrl,
          },
          out,
          token,
        ),
      () =>
        timeProcess("bash", [
          "-c",
          `tar -czf "$1" -C "$2" . && bash "$3" "$4" "$5" template ` +
            `bench-template "$6" "$1"`,
          "bench",
          archive,
          dir,
          curlPublish,
          registry.apiUrl,
          registry.token,
          nextVersion(2),
        ]),
    );
  } finally {
    registry.stop();
  }

  log("Archiving the template: the action's dry run and GNU tar -czf");
  const [dryRuns, tarRuns] = await alternate(
    TEMPLATE_RUNS,
    () =>
      runAction(
        {
          kind: "template",
          publisher: PUBLISHER,
          "template-directory": dir,
          version: "1.0.0",
          "dry-run": true,
        },
        out,
      ),
    async () => {
      const run = await timeProcess("tar", ["-czf", archive, "-C", dir, "."]);
      return { ...run, sha256: await sha256Of(archive) };
    },
  );
  const digests = dryRuns.map(
    (run) => JSON.parse(run.outputs.artifacts)[0].sha256,
  );
  const files = countFiles(dir);
  return {
    files: files.count,
    bytes: files.bytes,
    archiveBytes: JSON.parse(dryRuns[0].outputs.artifacts)[0].bytes,
    tarBytes: statSync(archive).size,
    action: publish[0],
    curl: publish[1],
    dryRuns,
    tarRuns,
    identical: new Set(digests).size === 1,
    tarIdentical: new Set(tarRuns.map((r) => r.sha256)).size === 1,
  };
}

function countFiles(dir) {
  let count = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile()) continue;
    count++;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { count, bytes };
}

/** Time to the action's first log line, against a bare `node -e ''`. */
async function benchStartup(docs) {
  log(`Start-up: ${STARTUP_RUNS} runs each`);
  const schema = path.join(out, "startup-schema.json");
  writeFileSync(schema, '{"name": "bench", "version": "1.0.0"}');
  const bare = [];
  const first = [];
  const exit = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    bare.push((await timeFirstLine(process.execPath, ["-e", ""])).exit);
    const run = actionEnv(
      { publisher: PUBLISHER, schema, readme: docs.index, "dry-run": true },
      out,
    );
    const timed = await timeFirstLine(process.execPath, [action], {
      env: run.env,
      cwd: out,
    });
    run.outputs();
    first.push(timed.first);
    exit.push(timed.exit);
  }
  return { bare: median(bare), first: median(first), exit: median(exit) };
}

function describeBundle() {
  const chunks = readdirSync(dist)
    .filter((name) => name.endsWith(".js"))
    .map((name) => ({ name, bytes: statSync(path.join(dist, name)).size }));
  const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], {
    cwd: root,
    encoding: "utf8",
  });
  return { chunks, commit: git.stdout.trim() };
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exitCode = 1;
});
