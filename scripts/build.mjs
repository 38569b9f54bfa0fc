// Bundles the action and the local registry into dist/ with ncc.
// Each entry gets its own folder so that the two bundles never overwrite each other.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

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
      "licenses.txt",
      "-q",
    ],
    { stdio: "inherit" },
  );
}
