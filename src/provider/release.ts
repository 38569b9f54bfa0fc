/** Where Pulumi publishes CLI releases, and which one fits this runner. */
import { ProviderError } from "../errors.js";

/**
 * Overrides where releases and the latest-version file are downloaded
 * from: for tests, and for mirrors. A mirror serves
 * `<base>/pulumi-v<version>-<os>-<arch>.tar.gz` (`.zip` on Windows) and
 * `<base>/latest-version`.
 */
export const DOWNLOAD_BASE_VARIABLE = "PULUMI_REGISTRY_PUBLISH_DOWNLOAD_BASE";

const RELEASES = "https://get.pulumi.com/releases/sdk";
const LATEST_VERSION = "https://www.pulumi.com/latest-version";

/** A runner's OS and architecture, as Pulumi names them in releases. */
export interface Platform {
  os: "linux" | "darwin" | "windows";
  arch: "x64" | "arm64";
}

const OS_NAMES: Record<string, Platform["os"]> = {
  linux: "linux",
  darwin: "darwin",
  win32: "windows",
};

/** The release platform of `platform`/`arch` (default: this process). */
export function platformOf(
  platform: string = process.platform,
  arch: string = process.arch,
): Platform {
  const os = OS_NAMES[platform];
  if (os === undefined || (arch !== "x64" && arch !== "arm64")) {
    throw new ProviderError(
      `Pulumi publishes no CLI release for ${platform}/${arch}. ` +
        "Install the Pulumi CLI yourself before this step, so that " +
        "`pulumi` is on PATH.",
    );
  }
  return { os, arch };
}

/** Where to download the archive of `version` for `platform`. */
export function archiveUrl(
  version: string,
  platform: Platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const extension = platform.os === "windows" ? "zip" : "tar.gz";
  const file = `pulumi-v${version}-${platform.os}-${platform.arch}.${extension}`;
  return `${mirrorOf(env) ?? RELEASES}/${file}`;
}

/** Where to read the latest version's number. */
export function latestVersionUrl(env: NodeJS.ProcessEnv = process.env): string {
  const mirror = mirrorOf(env);
  return mirror ? `${mirror}/latest-version` : LATEST_VERSION;
}

function mirrorOf(env: NodeJS.ProcessEnv): string | undefined {
  const base = env[DOWNLOAD_BASE_VARIABLE]?.trim().replace(/\/+$/, "");
  return base || undefined;
}

/** Reads the latest-version file: one version, perhaps with a `v`. */
export function parseLatestVersion(text: string, url: string): string {
  const version = text.trim().replace(/^v/, "");
  if (/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) return version;
  throw new ProviderError(
    `${url} did not give a version (it gave "${text.trim().slice(0, 40)}"). ` +
      'Set "pulumi-version" to a version such as "3.150.0".',
  );
}
