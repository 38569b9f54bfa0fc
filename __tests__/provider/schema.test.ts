/** `pulumi package get-schema` run for real, against the stand-in CLI. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../src/errors.js";
import type { ProviderSettings } from "../../src/inputs.js";
import { MemoryLogger } from "../../src/logger.js";
import { getProviderSchema, getSchemaArgs } from "../../src/provider/schema.js";
import { REAL_PACKAGES } from "../helpers/paths.js";
import { STAND_IN, writeStandIn } from "../helpers/pulumi-stand-in.js";

const bin = mkdtempSync(path.join(tmpdir(), "stand-in-"));
const pulumi = writeStandIn(bin);

function provider(source: string, parameters: string[] = []): ProviderSettings {
  return { source, parameters, pulumiVersion: "latest" };
}

async function run(settings: ProviderSettings, cli = pulumi) {
  const outDir = mkdtempSync(path.join(tmpdir(), "schema-out-"));
  const cwd = mkdtempSync(path.join(tmpdir(), "cwd-"));
  const logger = new MemoryLogger();
  const log = path.join(outDir, "calls.log");
  process.env.PULUMI_STAND_IN_LOG = log;
  try {
    const schema = await getProviderSchema({
      pulumi: cli,
      provider: settings,
      cwd,
      outDir,
      logger,
    });
    return { schema, logger, outDir, cwd, calls: readFileSync(log, "utf8") };
  } finally {
    delete process.env.PULUMI_STAND_IN_LOG;
  }
}

async function failure(settings: ProviderSettings, cli = pulumi) {
  const error = await run(settings, cli).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return (error as Error).message;
}

describe("getSchemaArgs", () => {
  it("passes parameters after --", () => {
    expect(getSchemaArgs(provider("random@4.16.0"))).toEqual([
      "package",
      "get-schema",
      "random@4.16.0",
    ]);
    expect(
      getSchemaArgs(provider("terraform-provider", ["hashicorp/random", "-x"])),
    ).toEqual([
      "package",
      "get-schema",
      "terraform-provider",
      "--",
      "hashicorp/random",
      "-x",
    ]);
  });
});

describe("getProviderSchema", () => {
  it("streams the schema to schema.json in the output folder", async () => {
    const { schema, logger, outDir, cwd, calls } = await run(
      provider(STAND_IN.plain),
    );

    expect(schema.path).toBe(path.join(outDir, "schema.json"));
    expect(readFileSync(schema.path)).toEqual(
      readFileSync(path.join(REAL_PACKAGES, "random", "schema.json")),
    );
    expect(schema.facts.name).toBe("random");
    expect(calls).toBe(`${cwd}|package get-schema random\n`);
    expect(logger.lines).toEqual([
      "Running: pulumi package get-schema random",
      "Loading the provider random...",
      'The provider gave the schema of package "random".',
    ]);
  });

  it("checks a parameterized schema and names its base provider", async () => {
    const { schema, logger } = await run(
      provider(STAND_IN.parameterized, [STAND_IN.parameter]),
    );
    expect(readFileSync(schema.path)).toEqual(
      readFileSync(
        path.join(REAL_PACKAGES, "random-parameterized", "schema.json"),
      ),
    );
    expect(logger.lines.at(-1)).toBe(
      'The provider gave the schema of package "random" 3.6.2, ' +
        "parameterized on terraform-provider 0.0.28.",
    );
  });

  it("refuses a schema without parameterization when given parameters", async () => {
    expect(
      await failure(provider(STAND_IN.unparameterized, [STAND_IN.parameter])),
    ).toBe(
      "`pulumi package get-schema random-flat -- hashicorp/random` was given " +
        'provider parameters, but the schema it printed (package "random") ' +
        'has no "parameterization" with a base provider name. Check that ' +
        "the provider supports parameterization, or remove " +
        '"provider-parameters".',
    );
  });

  it("shows the CLI's error output when it fails", async () => {
    expect(await failure(provider("nope"))).toBe(
      "`pulumi package get-schema nope` failed with exit code 1:\n" +
        "Loading the provider nope...\n" +
        "error: could not load provider nope\n" +
        'Check "provider" (a plugin name with an optional @version, a path ' +
        'or a git URL) and "provider-parameters".',
    );
  });

  it("refuses output that is not a schema", async () => {
    const fake = path.join(bin, "pulumi-prints-text");
    writeFileSync(fake, "#!/bin/sh\necho 'not json'\n", { mode: 0o755 });
    expect(await failure(provider("random"), fake)).toMatch(
      /^`pulumi package get-schema random` did not print a usable schema\. The schema ".*schema\.json" is not valid JSON/,
    );
  });

  it("refuses a schema without a name", async () => {
    const fake = path.join(bin, "pulumi-prints-nameless");
    writeFileSync(fake, '#!/bin/sh\necho \'{"version": "1.0.0"}\'\n', {
      mode: 0o755,
    });
    expect(await failure(provider("random"), fake)).toMatch(/has no "name"/);
  });

  it("says so when the CLI cannot be run at all", async () => {
    expect(
      await failure(provider("random"), path.join(bin, "missing")),
    ).toMatch(/^Could not run .*missing: /);
  });
});
