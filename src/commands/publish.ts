/**
 * `command: publish`: builds and checks the artifacts, works out the
 * version, then publishes (or, for a dry run, only checks).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { buildPackageArtifacts } from "../artifacts/package.js";
import type { Artifact } from "../artifacts/files.js";
import {
  createdAt,
  describeEntry,
  getVersion,
  registryUrl,
} from "../entries.js";
import type { Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import { publishVersion } from "../publish.js";
import { createClient } from "./client.js";
import type { RegistryClient } from "../registry/client.js";
import type { EntryRef } from "../registry/types.js";
import type { RunReport, Timing } from "../report.js";
import { resolveVersion, type ResolvedVersion } from "../version.js";
import { requirePublisher, versionSourcesOf } from "./target.js";

/** What was built and checked before any request. */
export interface PreparedVersion {
  ref: EntryRef;
  version: ResolvedVersion;
  artifacts: Artifact[];
  /** A template archive's file list. */
  files?: string[];
}

/** What the publish or dry-run phase found. */
type Outcome = Pick<
  RunReport,
  "status" | "message" | "operationId" | "publishedAt"
>;

/** Runs the publish command and returns its report. */
export async function runPublish(
  settings: Settings,
  logger: Logger,
): Promise<RunReport> {
  const tempDir = await fs.mkdtemp(
    path.join(settings.tempDir, "registry-publish-"),
  );
  const timings: Timing[] = [];
  try {
    const prepared = await timed(timings, "validate", () =>
      logger.group("Check inputs and build artifacts", () =>
        prepareVersion(settings, tempDir, logger),
      ),
    );
    if (settings.kind === "template" && settings.publishedAt) {
      logger.warning(
        'The registry documents no publish time for templates: "published-at" ' +
          "is sent with the version, but the registry may ignore it.",
      );
    }
    const client = createClient(settings, logger);
    const outcome = await timed<Outcome>(timings, "publish", () =>
      logger.group(settings.dryRun ? "Dry run" : "Publish", () =>
        settings.dryRun
          ? dryRun(client, settings, prepared, logger)
          : publishVersion(
              client,
              {
                ref: prepared.ref,
                version: prepared.version.version,
                publishedAt: settings.publishedAt,
                artifacts: prepared.artifacts,
                ifExists: settings.ifExists,
                tempDir,
              },
              logger,
            ),
      ),
    );
    logger.info(outcome.message);
    return {
      ...outcome,
      ref: prepared.ref,
      version: prepared.version.version,
      versionOrigin: prepared.version.detail,
      publishedAt: outcome.publishedAt ?? settings.publishedAt,
      url: registryUrl(prepared.ref, prepared.version.version),
      artifacts: prepared.artifacts,
      timings,
      files: settings.dryRun ? prepared.files : undefined,
    };
  } finally {
    await fs.rm(tempDir, { recursive: true, force: true });
  }
}

/** Everything that can fail on bad input, before any request is sent. */
export async function prepareVersion(
  settings: Settings,
  tempDir: string,
  logger: Logger,
): Promise<PreparedVersion> {
  const publisher = requirePublisher(settings);
  const versionSources = versionSourcesOf(settings);
  let prepared: PreparedVersion;
  if (settings.kind === "package") {
    const built = await buildPackageArtifacts({ ...settings, tempDir });
    prepared = {
      ref: refOf(settings, publisher, built.schema.name),
      version: resolveVersion({
        ...versionSources,
        schemaVersion: built.schema.version,
      }),
      artifacts: built.artifacts,
    };
  } else {
    const version = resolveVersion(versionSources);
    // The archiver (tar, ignore rules) is loaded only for templates.
    const { buildTemplate } = await import("./template.js");
    const built = await buildTemplate(settings, tempDir, logger);
    prepared = {
      ref: refOf(settings, publisher, built.name),
      version,
      artifacts: [built.artifact],
      files: built.files,
    };
  }
  logPrepared(prepared, settings.workspace, logger);
  return prepared;
}

function refOf(settings: Settings, publisher: string, name: string): EntryRef {
  return { kind: settings.kind, source: settings.source, publisher, name };
}

function logPrepared(
  prepared: PreparedVersion,
  workspace: string,
  logger: Logger,
): void {
  const { version } = prepared;
  for (const warning of version.warnings) logger.warning(warning);
  logger.info(
    `${describeEntry(prepared.ref, version.version)} ` +
      `(version from ${version.detail})`,
  );
  for (const artifact of prepared.artifacts) {
    const shown = path.relative(workspace, artifact.path);
    const file = shown.startsWith("..") ? artifact.path : shown;
    logger.info(
      `${artifact.name}: ${file}, ${artifact.bytes} bytes, ` +
        `sha256 ${artifact.sha256}`,
    );
  }
}

/**
 * A dry run sends no write request. With credentials it checks whether the
 * version exists; without (pull requests from forks have none) it says so.
 */
async function dryRun(
  client: RegistryClient,
  settings: Settings,
  prepared: PreparedVersion,
  logger: Logger,
): Promise<Outcome> {
  const what = describeEntry(prepared.ref, prepared.version.version);
  if (prepared.files) {
    await logger.group(
      `Archive contents (${prepared.files.length} files)`,
      async () => {
        for (const file of prepared.files ?? []) logger.info(file);
      },
    );
  }
  if (!settings.token) {
    return {
      status: "dry-run",
      message:
        `Dry run: ${what} is valid and would be published. ` +
        "No credentials were given, so the existence check was skipped.",
    };
  }
  const existing = await getVersion(
    client,
    prepared.ref,
    prepared.version.version,
  );
  const verdict = existing
    ? `already exists (published ${createdAt(existing) ?? "earlier"}); ` +
      `a publish would ${settings.ifExists === "fail" ? "fail" : "be skipped"}`
    : "does not exist yet and would be published";
  return {
    status: "dry-run",
    message: `Dry run: ${what} ${verdict}.`,
  };
}

async function timed<T>(
  timings: Timing[],
  phase: string,
  fn: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings.push({ phase, ms: Date.now() - started });
  }
}
