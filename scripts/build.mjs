// Bundles the action and the local registry into dist/ with ncc.
// Each entry gets its own folder so that the two bundles never overwrite each other.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const ncc = "node_modules/@vercel/ncc/dist/ncc/cli.js";
const entries = [
  ["src/index.ts", "dist"],
  ["src/local-registry/cli.ts", "dist/local-registry"],
];

rmSync("dist", { recursive: true, force: true });
for (const [entry, out] of entries) {
  execFileSync(
    process.execPath,
    [
      ncc,
      "build",
      entry,
      "-o",
      out,
      "--transpile-only",
      "--license",
      "[name].licenses.txt",
      "-q",
    ],
    { stdio: "inherit" },
  );
  mergeLicenses(out);
}

// Modules loaded with import() go to separate chunks, and ncc writes the
// licenses of each chunk to its own file: one licenses.txt holds them all.
function mergeLicenses(out) {
  const files = readdirSync(out)
    .filter((name) => name.endsWith(".licenses.txt"))
    .sort((a, b) => (a === "main.licenses.txt" ? -1 : a.localeCompare(b)));
  const texts = files.map((name) => readFileSync(path.join(out, name), "utf8"));
  writeFileSync(path.join(out, "licenses.txt"), texts.join("\n\n"));
  for (const name of files) rmSync(path.join(out, name));
}
