/** One run of the action: settings, credentials, the command, the report. */
import * as core from "@actions/core";
import { promises as fs } from "node:fs";
import path from "node:path";
import { authenticate, type AuthRunner } from "./auth.js";
import { createClient } from "./commands/client.js";
import { runCommand } from "./commands/index.js";
import { resolvePublisher } from "./commands/publisher.js";
import { readSettings, type Settings } from "./inputs.js";
import {
  actionLogger,
  reportFailure,
  writeOutputs,
  writeSummary,
  type Report,
} from "./report.js";

/** Runs the action; a failure ends the step with one annotation. */
export async function run(): Promise<void> {
  let workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const scratch: string[] = [];
  try {
    let settings = readSettings();
    workspace = settings.workspace;
    settings = await withCredentials(settings);
    settings = await withPublisherDefault(settings);
    settings = await withProviderSchema(settings, scratch);
    const report = await runCommand(settings, actionLogger);
    writeOutputs(report);
    if (settings.summary) await writeSummaryOrWarn(report);
  } catch (error) {
    reportFailure(error, workspace);
  } finally {
    for (const dir of scratch)
      await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * By now the registry has done its part: a summary that cannot be written
 * (no GITHUB_STEP_SUMMARY, a full disk) must not fail a finished publish.
 */
async function writeSummaryOrWarn(report: Report): Promise<void> {
  try {
    await writeSummary(report);
  } catch (error) {
    actionLogger.warning(
      `The job summary could not be written: ${(error as Error).message}`,
    );
  }
}

const tokenOrigin = {
  input: 'the "access-token" input',
  env: "PULUMI_ACCESS_TOKEN",
  oidc: "the GitHub OIDC token exchange",
};

/** The runner's side of OIDC: the ID token, and masking at once. */
const authRunner: AuthRunner = {
  getIdToken: (audience) => core.getIDToken(audience),
  setSecret: (secret) => core.setSecret(secret),
};

/**
 * Picks the token and says where it came from, never its value. It is
 * exported for later steps only with `export-token: true`.
 */
async function withCredentials(settings: Settings): Promise<Settings> {
  const credentials = await authenticate(settings, authRunner, actionLogger);
  if (credentials.tokenSource) {
    actionLogger.info(
      `Using the access token from ${tokenOrigin[credentials.tokenSource]}.`,
    );
  }
  if (settings.exportToken && credentials.token) {
    core.exportVariable("PULUMI_ACCESS_TOKEN", credentials.token);
    actionLogger.info("Exported the access token as PULUMI_ACCESS_TOKEN.");
  }
  return { ...settings, ...credentials };
}

/** `publisher`, else `oidc-organization`, else the token's organization. */
async function withPublisherDefault(settings: Settings): Promise<Settings> {
  if (settings.publisher) return settings;
  const client = createClient(settings, actionLogger);
  try {
    const publisher = await resolvePublisher(settings, client, actionLogger);
    return { ...settings, publisher };
  } finally {
    await client.close();
  }
}

/** With `provider`, the schema is the one the Pulumi CLI prints. */
async function withProviderSchema(
  settings: Settings,
  scratch: string[],
): Promise<Settings> {
  const provider = settings.provider;
  if (!provider) return settings;
  const tempDir = await fs.mkdtemp(
    path.join(settings.tempDir, "provider-schema-"),
  );
  scratch.push(tempDir);
  // The CLI installer (tool-cache, exec) is loaded only for this input.
  const { schemaFromProvider } = await import("./provider/index.js");
  const schema = await actionLogger.group(
    `Get the schema from provider "${provider.source}"`,
    () =>
      schemaFromProvider({
        provider,
        cwd: settings.workingDirectory,
        tempDir,
        addPath: (dir) => core.addPath(dir),
        logger: actionLogger,
      }),
  );
  return { ...settings, schema: schema.path };
}
