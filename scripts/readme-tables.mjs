// Writes the README's inputs and outputs tables from action.yml, between
// the markers <!-- inputs:start/end --> and <!-- outputs:start/end -->.
// With --check, changes nothing and fails when the README is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import prettier from "prettier";
import { parse } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const readmePath = path.join(root, "README.md");
const action = parse(readFileSync(path.join(root, "action.yml"), "utf8"));

const cell = (text) => String(text).replace(/\|/g, "\\|").replace(/\n/g, " ");

function inputsTable() {
  const rows = Object.entries(action.inputs).map(([name, input]) => {
    const fallback =
      input.default === undefined || input.default === ""
        ? ""
        : `\`${input.default}\``;
    return `| \`${name}\` | ${fallback} | ${cell(input.description.trim())} |`;
  });
  return ["| Input | Default | Description |", "| --- | --- | --- |", ...rows];
}

function outputsTable() {
  const rows = Object.entries(action.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description.trim())} |`,
  );
  return ["| Output | Description |", "| --- | --- |", ...rows];
}

function replaceBetween(text, marker, lines) {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    throw new Error(`README.md lacks the markers ${start} ... ${end}`);
  }
  return `${text.slice(0, from + start.length)}\n${lines.join("\n")}\n${text.slice(to)}`;
}

const current = readFileSync(readmePath, "utf8");
let updated = replaceBetween(current, "inputs", inputsTable());
updated = replaceBetween(updated, "outputs", outputsTable());
// Formatted as `prettier --check` wants it, so both checks agree.
updated = await prettier.format(updated, {
  ...(await prettier.resolveConfig(readmePath)),
  filepath: readmePath,
});

if (process.argv.includes("--check")) {
  if (updated !== current) {
    console.error(
      "README.md's inputs/outputs tables differ from action.yml: " +
        "run `node scripts/readme-tables.mjs` and commit README.md.",
    );
    process.exit(1);
  }
  console.log("README tables match action.yml.");
} else if (updated !== current) {
  writeFileSync(readmePath, updated);
  console.log("README.md tables updated from action.yml.");
}
