/**
 * Exactly once under faults: the bundled action publishes against a local
 * registry that fails, rate-limits, resets connections, expires upload URLs
 * and drops the answer to a complete it has stored. Whatever happens, the
 * report must agree with the registry: published means the version is there
 * with the bytes sent, failed means it is not.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  startLocalRegistry,
  type FaultOptions,
} from "../../src/local-registry/index.js";
import { runAction } from "../../scripts/run-action.mjs";
import { expectNoLeak } from "../helpers/leaks.js";
import { NODES } from "../helpers/nodes.js";
import { REAL_PACKAGES } from "../helpers/paths.js";

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
const PACKAGE = path.join(REAL_PACKAGES, "random");
const schema = readFileSync(path.join(PACKAGE, "schema.json"));

/** Every fault at once; every tenth seed also gets upload URLs that expire at once. */
function faultsFor(seed: number): FaultOptions {
  return {
    seed,
    errorRate: 0.15,
    rateLimitRate: 0.05,
    resetRate: 0.05,
    commitThenDropRate: 0.25,
    latencyMs: seed % 3,
    ...(seed % 10 === 0 ? { uploadUrlTtlSeconds: 0 } : {}),
  };
}

/** How the runs ended, so that the suite proves both outcomes happened. */
const outcomes = { published: 0, failed: 0, confirmed: 0, restarted: 0 };

afterAll(() => {
  console.log(
    `fault suite: ${SEEDS.length} seeds, ${outcomes.published} published ` +
      `(${outcomes.confirmed} confirmed by reading back), ` +
      `${outcomes.failed} failed with the version absent; ` +
      `${outcomes.restarted} restarted after storage refused an upload`,
  );
  expect(outcomes.published + outcomes.failed).toBe(SEEDS.length);
  expect(outcomes.published).toBeGreaterThan(0);
  expect(outcomes.failed).toBeGreaterThan(0);
  expect(outcomes.confirmed).toBeGreaterThan(0);
  expect(outcomes.restarted).toBeGreaterThan(0);
});

describe("publishing under injected faults", () => {
  it.concurrent.each(SEEDS)("seed %i", async (seed) => {
    const registry = await startLocalRegistry({ faults: faultsFor(seed) });
    const token = registry.tokens[0];
    const [, node] = NODES[seed % NODES.length];
    try {
      const run = await runAction({
        node,
        workspace: PACKAGE,
        inputs: {
          schema: "schema.json",
          "installation-configuration": "installation-configuration.md",
          publisher: "faults",
          version: "4.21.1",
          "cloud-url": registry.apiUrl,
          "max-attempts": 6,
        },
        env: { PULUMI_ACCESS_TOKEN: token },
      });
      const stored = registry.storedArtifact(
        "package",
        "private",
        "faults",
        "random",
        "4.21.1",
        "schema",
      );
      const completes = registry.requests.filter(
        (r) => r.path.endsWith("/complete") && r.status === 201,
      );
      if (run.code === 0) {
        expect(run.outputs.status, run.stdout).toBe("published");
        expect(run.outputs.published).toBe("true");
        expect(stored?.equals(schema), "the stored schema").toBe(true);
        outcomes.published++;
        if (run.stdout.includes("confirmed by reading it back")) {
          outcomes.confirmed++;
        }
      } else {
        expect(run.outputs.published ?? "false").toBe("false");
        expect(stored, `a failed run left a version:\n${run.stdout}`).toBe(
          undefined,
        );
        expect(run.stdout).toMatch(/^::error/m);
        outcomes.failed++;
      }
      if (run.stdout.includes("Starting the publish again")) {
        outcomes.restarted++;
      }
      expect(completes.length).toBeLessThanOrEqual(1);
      expectNoLeak(run, [token]);
    } finally {
      await registry.close();
    }
  });
});
