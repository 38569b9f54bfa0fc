/**
 * Runs `pulumi package get-schema` and checks what it printed: a schema
 * with a name and, for a parameterized package, its parameterization.
 */
import * as exec from "@actions/exec";
import { createWriteStream, type WriteStream } from "node:fs";
import path from "node:path";
import { finished } from "node:stream/promises";
import { readSchema, type SchemaFacts } from "../artifacts/schema.js";
import { InputError, ProviderError } from "../errors.js";
import type { ProviderSettings } from "../inputs.js";
import type { Logger } from "../logger.js";

/** How to run the CLI for one provider. */
export interface GetSchemaOptions {
  /** The `pulumi` executable. */
  pulumi: string;
  provider: ProviderSettings;
  /** Where relative provider paths start: the working directory. */
  cwd: string;
  /** Where `schema.json` is written. */
  outDir: string;
  logger: Logger;
}

/** The schema the provider gave, written to disk and checked. */
export interface ProviderSchema {
  path: string;
  facts: SchemaFacts;
}

const STDERR_LINES_KEPT = 20;

/** The arguments of `pulumi` that print the provider's schema. */
export function getSchemaArgs(provider: ProviderSettings): string[] {
  const parameters = provider.parameters;
  return [
    "package",
    "get-schema",
    provider.source,
    ...(parameters.length > 0 ? ["--", ...parameters] : []),
  ];
}

/** Runs the CLI, streaming the schema to `<outDir>/schema.json`. */
export async function getProviderSchema(
  options: GetSchemaOptions,
): Promise<ProviderSchema> {
  const { provider, logger } = options;
  const args = getSchemaArgs(provider);
  const command = `pulumi ${args.join(" ")}`;
  const file = path.join(options.outDir, "schema.json");
  logger.info(`Running: ${command}`);

  const out = createWriteStream(file);
  const stderr: string[] = [];
  const code = await runCli(options, args, out, (line) => {
    logger.info(line);
    stderr.push(line);
    if (stderr.length > STDERR_LINES_KEPT) stderr.shift();
  });
  if (code !== 0) {
    const said = stderr.length > 0 ? `:\n${stderr.join("\n")}` : ".";
    throw new ProviderError(
      `\`${command}\` failed with exit code ${code}${said}\n` +
        `Check "provider" (a plugin name with an optional @version, a ` +
        `path or a git URL) and "provider-parameters".`,
    );
  }
  const facts = await checkProviderSchema(file, command, provider);
  logger.info(describeSchema(facts));
  return { path: file, facts };
}

/**
 * The CLI's stdout goes straight to the file. (@actions/exec holds only the
 * current unfinished line besides; the CLI prints the schema indented.)
 */
async function runCli(
  options: GetSchemaOptions,
  args: string[],
  out: WriteStream,
  onErrorLine: (line: string) => void,
): Promise<number> {
  let code: number;
  try {
    code = await exec.exec(options.pulumi, args, {
      cwd: options.cwd,
      env: cliEnvironment(),
      silent: true,
      ignoreReturnCode: true,
      listeners: {
        stdout: (data) => out.write(data),
        errline: onErrorLine,
      },
    });
  } catch (error) {
    out.destroy();
    throw new ProviderError(
      `Could not run ${options.pulumi}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  out.end();
  await finished(out);
  return code;
}

/** The CLI's environment: this one, without its update check. */
function cliEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) env[name] = value;
  }
  env.PULUMI_SKIP_UPDATE_CHECK = "true";
  return env;
}

/** Checks the printed schema; input errors name `provider`, not `schema`. */
export async function checkProviderSchema(
  file: string,
  command: string,
  provider: ProviderSettings,
): Promise<SchemaFacts> {
  let facts: SchemaFacts;
  try {
    facts = (await readSchema(file, path.dirname(file))).facts;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new ProviderError(
      `\`${command}\` did not print a usable schema. ${error.message}`,
      { cause: error },
    );
  }
  if (provider.parameters.length > 0) checkParameterized(facts, command);
  return facts;
}

function checkParameterized(facts: SchemaFacts, command: string): void {
  const base = facts.parameterization?.baseProvider;
  if (typeof base?.name === "string" && base.name !== "") return;
  throw new ProviderError(
    `\`${command}\` was given provider parameters, but the schema it ` +
      `printed (package "${facts.name}") has no "parameterization" with ` +
      "a base provider name. Check that the provider supports " +
      'parameterization, or remove "provider-parameters".',
  );
}

function describeSchema(facts: SchemaFacts): string {
  const version = facts.version ? ` ${facts.version}` : "";
  const base = facts.parameterization?.baseProvider;
  const on = base?.name
    ? `, parameterized on ${base.name}${base.version ? ` ${base.version}` : ""}`
    : "";
  return `The provider gave the schema of package "${facts.name}"${version}${on}.`;
}
