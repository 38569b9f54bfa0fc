/** A package schema straight from its provider, through the Pulumi CLI. */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { ProviderSettings } from "../inputs.js";
import type { Logger } from "../logger.js";
import { findOrInstallPulumi } from "./install.js";
import { getProviderSchema, type ProviderSchema } from "./schema.js";

export type { ProviderSchema } from "./schema.js";

export interface SchemaFromProviderOptions {
  provider: ProviderSettings;
  /** The working directory: relative provider paths start there. */
  cwd: string;
  /** A folder of this run under `RUNNER_TEMP`; the schema goes in it. */
  tempDir: string;
  /** Adds the installed CLI's folder to PATH for later steps. */
  addPath: (dir: string) => void;
  logger: Logger;
}

/** Finds or installs `pulumi`, then has it print the provider's schema. */
export async function schemaFromProvider(
  options: SchemaFromProviderOptions,
): Promise<ProviderSchema> {
  const { provider, logger } = options;
  const cli = await findOrInstallPulumi({
    version: provider.pulumiVersion,
    addPath: options.addPath,
    logger,
  });
  const outDir = path.join(options.tempDir, "provider");
  await fs.mkdir(outDir, { recursive: true });
  return getProviderSchema({
    pulumi: cli.path,
    provider,
    cwd: options.cwd,
    outDir,
    logger,
  });
}
