/**
 * Finds the `pulumi` CLI on PATH, or installs a release into the runner's
 * tool cache (so later steps and jobs reuse it) and adds it to PATH.
 */
import * as tc from "@actions/tool-cache";
import { accessSync, constants, promises as fs, statSync } from "node:fs";
import path from "node:path";
import { ProviderError } from "../errors.js";
import type { Logger } from "../logger.js";
import {
  archiveUrl,
  latestVersionUrl,
  parseLatestVersion,
  platformOf,
  type Platform,
} from "./release.js";

/** The tool's name in the tool cache. */
export const TOOL_NAME = "pulumi";

/** The CLI a run uses and how it was found. */
export interface PulumiCli {
  /** The executable's absolute path. */
  path: string;
  origin: "PATH" | "tool cache" | "download";
  /** The version installed or found in the cache; unknown on PATH. */
  version?: string;
}

export interface InstallOptions {
  /** A version, or `latest`. */
  version: string;
  /** Adds a folder to PATH for this and later steps. */
  addPath: (dir: string) => void;
  logger: Logger;
  /** Default: this process's OS and architecture. */
  platform?: Platform;
}

/** The `pulumi` on PATH, else the cached or freshly installed release. */
export async function findOrInstallPulumi(
  options: InstallOptions,
): Promise<PulumiCli> {
  const { logger } = options;
  const onPath = findOnPath(TOOL_NAME);
  if (onPath) {
    logger.info(`Using the Pulumi CLI on PATH: ${onPath}`);
    return { path: onPath, origin: "PATH" };
  }
  requireToolCache();
  const platform = options.platform ?? platformOf();
  const version =
    options.version === "latest"
      ? await resolveLatestVersion(logger)
      : options.version;

  const cached = tc.find(TOOL_NAME, version, platform.arch);
  const dir = cached || (await downloadPulumi(version, platform, logger));
  options.addPath(dir);
  const origin = cached ? "tool cache" : "download";
  const from = cached ? "the tool cache" : "the download, now cached";
  logger.info(`Using the Pulumi CLI ${version} from ${from}: ${dir}`);
  return { path: path.join(dir, executableName(platform)), origin, version };
}

/** The first executable `name` in the folders of PATH, if any. */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: string = process.platform,
): string | undefined {
  const windows = platform === "win32";
  const folders = (env.PATH ?? env.Path ?? "").split(path.delimiter);
  const extensions = windows
    ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";")
    : [""];
  for (const folder of folders.filter((entry) => entry !== "")) {
    for (const extension of extensions) {
      const candidate = path.join(folder, name + extension.toLowerCase());
      if (isExecutable(candidate, windows)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string, windows: boolean): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (!windows) accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function executableName(platform: Platform): string {
  return platform.os === "windows" ? "pulumi.exe" : "pulumi";
}

/** The tool cache lives only on a runner; elsewhere, PATH must have it. */
function requireToolCache(): void {
  if (process.env.RUNNER_TOOL_CACHE && process.env.RUNNER_TEMP) return;
  throw new ProviderError(
    "The Pulumi CLI is not on PATH, and RUNNER_TOOL_CACHE or RUNNER_TEMP " +
      "is not set, so it cannot be installed (this is not a GitHub " +
      "runner). Install the Pulumi CLI and put `pulumi` on PATH.",
  );
}

async function resolveLatestVersion(logger: Logger): Promise<string> {
  const url = latestVersionUrl();
  const file = await download(url, "the latest Pulumi version");
  try {
    const version = parseLatestVersion(await fs.readFile(file, "utf8"), url);
    logger.info(`The latest Pulumi CLI is ${version} (from ${url}).`);
    return version;
  } finally {
    await fs.rm(file, { force: true });
  }
}

/** Downloads, extracts and caches one release; returns the cached folder. */
async function downloadPulumi(
  version: string,
  platform: Platform,
  logger: Logger,
): Promise<string> {
  const url = archiveUrl(version, platform);
  logger.info(`Downloading the Pulumi CLI ${version}: ${url}`);
  const archive = await download(url, `the Pulumi CLI ${version}`);
  try {
    const extracted = await extract(archive, platform, url);
    const binDir = await findBinDir(extracted, executableName(platform), url);
    return await tc.cacheDir(binDir, TOOL_NAME, version, platform.arch);
  } finally {
    await fs.rm(archive, { force: true });
  }
}

async function extract(
  archive: string,
  platform: Platform,
  url: string,
): Promise<string> {
  try {
    return platform.os === "windows"
      ? await tc.extractZip(archive)
      : await tc.extractTar(archive);
  } catch (error) {
    throw new ProviderError(
      `Could not extract the Pulumi CLI archive from ${url}: ` +
        `${(error as Error).message}. Check the download mirror, or put ` +
        "`pulumi` on PATH.",
      { cause: error },
    );
  }
}

async function download(url: string, what: string): Promise<string> {
  try {
    return await tc.downloadTool(url);
  } catch (error) {
    const status =
      error instanceof tc.HTTPError ? error.httpStatusCode : undefined;
    const reason = status
      ? `HTTP ${status}`
      : error instanceof Error
        ? error.message
        : String(error);
    throw new ProviderError(
      `Could not download ${what} from ${url} (${reason}). ` +
        (status === 404
          ? 'Check "pulumi-version": it must be a released version.'
          : "Check the runner's network access, or put `pulumi` on PATH."),
      { cause: error },
    );
  }
}

/**
 * Releases for Linux and macOS hold `pulumi/pulumi`, those for Windows
 * `pulumi/bin/pulumi.exe`; either way the folder holding the CLI (and the
 * language hosts beside it) is the one to cache.
 */
async function findBinDir(
  extracted: string,
  executable: string,
  url: string,
): Promise<string> {
  const candidates = [
    path.join(extracted, "pulumi", "bin"),
    path.join(extracted, "pulumi"),
    extracted,
  ];
  for (const dir of candidates) {
    const stat = await fs.stat(path.join(dir, executable)).catch(() => null);
    if (stat?.isFile()) return dir;
  }
  throw new ProviderError(
    `The archive ${url} holds no pulumi/bin/${executable} or ` +
      `pulumi/${executable}. Check the download mirror, or put \`pulumi\` ` +
      "on PATH.",
  );
}
