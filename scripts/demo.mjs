// npm run demo [-- <folder>] [--version X]
// Starts the local registry, publishes a package (or template) folder through
// the bundled action exactly as the runner would, prints the outputs and the
// job summary, then reads the version back. Needs no install: Node and dist/.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { runAction } from "./run-action.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PUBLISHER = "demo-org";

async function main() {
  const { folder, version, debug } = parseArgs(process.argv.slice(2));
  const registry = await startRegistry();
  try {
    const inputs = { ...describeFolder(folder, version), publisher: PUBLISHER };
    const kind = inputs.kind;
    heading(
      `Publishing ${path.relative(process.cwd(), folder) || "."} as a ${kind}`,
    );
    const run = await runAction({
      inputs: { ...inputs, "cloud-url": registry.apiUrl },
      env: { PULUMI_ACCESS_TOKEN: registry.token },
      workspace: folder,
    });
    process.stdout.write(renderLog(run.stdout, debug));
    process.stderr.write(run.stderr);
    if (run.code !== 0) throw new Error(`the action exited with ${run.code}`);

    heading("Outputs");
    for (const [name, value] of Object.entries(run.outputs)) {
      console.log(`${name.padEnd(14)} ${value}`);
    }
    heading("Job summary");
    console.log(renderSummary(run.summary));

    heading("Read back from the registry");
    await readBack(registry, kind, run.outputs);
  } finally {
    registry.stop();
  }
}

function parseArgs(args) {
  let folder = path.join(root, "examples", "package");
  let version;
  let debug = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--version") version = args[++i];
    else if (args[i] === "--debug") debug = true;
    else if (args[i] === "--help" || args[i] === "-h") usage(0);
    else if (args[i].startsWith("-")) usage(2, `unknown option ${args[i]}`);
    else folder = path.resolve(args[i]);
  }
  if (!existsSync(folder)) usage(2, `no such folder: ${folder}`);
  return { folder, version, debug };
}

function usage(code, problem) {
  if (problem) console.error(`demo: ${problem}`);
  console.error(
    "usage: npm run demo [-- <folder>] [--version X] [--debug]\n" +
      "  <folder> holds a schema (schema.json/.yaml) and its docs pages,\n" +
      "  or a template (Pulumi.yaml with a template: section).\n" +
      "  Default: examples/package. --debug shows the debug log.",
  );
  process.exit(code);
}

/** Picks the action's inputs for a folder, the way a workflow author would. */
function describeFolder(folder, version) {
  const names = readdirSync(folder);
  if (names.includes("Pulumi.yaml")) {
    return { kind: "template", version: version ?? "1.0.0" };
  }
  const schema = ["schema.json", "schema.yaml", "schema.yml"].find((n) =>
    names.includes(n),
  );
  if (!schema) usage(2, `${folder} holds no schema.json or Pulumi.yaml`);
  const inputs = {
    kind: "package",
    schema,
    version: version ?? guessVersion(folder, schema),
  };
  if (names.includes("installation-configuration.md")) {
    inputs["installation-configuration"] = "installation-configuration.md";
  }
  return inputs;
}

/** The registry record's version if the folder has one, else the schema's. */
function guessVersion(folder, schema) {
  const metadata = path.join(folder, "registry-metadata.yaml");
  if (existsSync(metadata)) {
    const match = /^version:\s*v?(\S+)/m.exec(readFileSync(metadata, "utf8"));
    if (match) return match[1];
  }
  if (schema.endsWith(".json")) {
    const { version } = JSON.parse(readFileSync(path.join(folder, schema)));
    if (version && !/^0\.0\.0(-dev)?$/.test(version)) return version;
  }
  return "1.0.0";
}

async function startRegistry() {
  const child = spawn(
    process.execPath,
    [path.join(root, "dist", "local-registry", "index.js"), "--json"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) =>
      reject(new Error(`the local registry exited with ${code}`)),
    );
  });
  const info = JSON.parse(first);
  console.log(`Local registry at ${info.apiUrl} (storage ${info.storageUrl})`);
  return { ...info, stop: () => child.kill("SIGTERM") };
}

async function readBack(registry, kind, outputs) {
  const { source, publisher, name, version } = outputs;
  const route = `${registry.apiUrl}/api/registry/${kind}s/${source}/${publisher}/${name}/versions/${version}`;
  const answer = await fetch(route, {
    headers: {
      Authorization: `token ${registry.token}`,
      Accept: "application/vnd.pulumi+8",
    },
  });
  if (!answer.ok) throw new Error(`GET ${route}: HTTP ${answer.status}`);
  const metadata = await answer.json();
  const fields =
    kind === "package"
      ? ["name", "publisher", "version", "title", "createdAt", "visibility"]
      : ["name", "publisher", "displayName", "language", "updatedAt"];
  for (const field of fields) {
    console.log(`${field.padEnd(14)} ${metadata[field] ?? "–"}`);
  }
  const artifact = kind === "package" ? "schema" : "archive";
  const url = kind === "package" ? metadata.schemaURL : metadata.downloadURL;
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const sent = JSON.parse(outputs.artifacts).find((a) => a.name === artifact);
  const same = sent && sent.sha256 === sha256;
  console.log(
    `${artifact.padEnd(14)} ${bytes.length} bytes, sha256 ${sha256} ` +
      (same ? "(identical to what was published)" : "(DIFFERS)"),
  );
  if (!same) throw new Error(`the stored ${artifact} differs from the upload`);
}

/** Shows workflow commands the way the runner's log viewer does. */
function renderLog(log, debug) {
  return log
    .split("\n")
    .flatMap((line) => {
      if (line.startsWith("::debug::"))
        return debug ? [`  ${line.slice(9)}`] : [];
      if (line.startsWith("::group::")) return [`▸ ${line.slice(9)}`];
      if (line.startsWith("::endgroup::")) return [];
      if (line.startsWith("::add-mask::")) return [];
      const annotation = /^::(warning|error|notice)[^:]*::(.*)$/.exec(line);
      if (annotation) return [`${annotation[1]}: ${annotation[2]}`];
      return [line];
    })
    .join("\n");
}

/** The job summary is HTML; a terminal wants rows of text. */
function renderSummary(html) {
  return html
    .replace(/<\/(tr|h\d|pre)>/g, "\n")
    .replace(/<\/t[dh]>/g, "  ")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();
}

function heading(text) {
  console.log(`\n── ${text} ──`);
}

main().catch((error) => {
  console.error(`demo failed: ${error.message}`);
  process.exitCode = 1;
});
