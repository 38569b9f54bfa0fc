/**
 * `command: show`: reads one version (or `latest`) and reports its metadata
 * as JSON in the `metadata` output and as a table in the summary.
 */
import {
  createdAt,
  describeEntry,
  getVersion,
  registryUrl,
} from "../entries.js";
import { withoutSignatures, type EntryMetadata } from "../entries.js";
import { InputError } from "../errors.js";
import { INPUT, type Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import type { EntryRef } from "../registry/types.js";
import type { CommandReport, SummaryTable } from "../report.js";
import { createClient } from "./client.js";
import { resolveRef, resolveTargetVersion } from "./target.js";

/**
 * Pre-signed download links. Their query string is a working signature, and
 * a later step may echo the `metadata` output, so outputs and the summary
 * keep only origin and path.
 */

/** Runs the show command and returns its report. */
export async function runShow(
  settings: Settings,
  logger: Logger,
): Promise<CommandReport> {
  const ref = await resolveRef(settings);
  const requested = requestedVersion(settings);
  logger.info(`Reading ${describeEntry(ref, requested)}.`);
  const client = createClient(settings, logger);
  let metadata: EntryMetadata | undefined;
  try {
    const answer = await getVersion(client, ref, requested);
    metadata = answer && withoutSignatures(answer);
  } finally {
    await client.close();
  }
  const base = {
    command: "show" as const,
    kind: ref.kind,
    source: ref.source,
    publisher: ref.publisher,
    name: ref.name,
  };
  if (!metadata) {
    const message = missingMessage(ref, requested, Boolean(settings.token));
    if (settings.ifMissing === "fail") {
      throw new InputError(
        `${message} Check "${INPUT.name}", "${INPUT.publisher}", ` +
          `"${INPUT.source}" and "${INPUT.version}", or set ` +
          `"${INPUT.ifMissing}: ignore" to let the step pass.`,
        { input: INPUT.version },
      );
    }
    logger.warning(message);
    return {
      ...base,
      status: "absent",
      message,
      title: `show ${ref.name}@${requested}`,
      tables: [],
    };
  }
  const version = resolvedVersion(metadata, requested);
  const message =
    requested === "latest"
      ? `The latest version of ${describeEntry(ref, version)} is ${version}.`
      : `Read ${describeEntry(ref, version)}.`;
  logger.info(message);
  return {
    ...base,
    status: "shown",
    version,
    publishedAt: createdAt(metadata),
    url: registryUrl(ref, version),
    metadata,
    message,
    title: `show ${ref.name}@${version}`,
    tables: [metadataTable(metadata)],
  };
}

/** `latest` as given; else the version publish would use; else `latest`. */
function requestedVersion(settings: Settings): string {
  if (settings.version === "latest") return "latest";
  try {
    return resolveTargetVersion(settings).version;
  } catch (error) {
    const nothingFound =
      settings.version === undefined &&
      error instanceof InputError &&
      error.location.input === INPUT.version;
    if (nothingFound) return "latest";
    throw error;
  }
}

/** Templates may lack `version`; their registry URL ends with `@<version>`. */
function resolvedVersion(metadata: EntryMetadata, requested: string): string {
  if (typeof metadata.version === "string" && metadata.version) {
    return metadata.version;
  }
  const url = "url" in metadata ? metadata.url : "";
  return /@([^@/]+)$/.exec(url)?.[1] ?? requested;
}

function missingMessage(
  ref: EntryRef,
  version: string,
  authenticated: boolean,
): string {
  const what =
    version === "latest"
      ? `${ref.kind} ${ref.source}/${ref.publisher}/${ref.name} has no ` +
        "version in the registry"
      : `${describeEntry(ref, version)} is not in the registry`;
  const anonymous = authenticated
    ? ""
    : " (no credentials were given, and private entries need them)";
  return `${what}${anonymous}.`;
}

function metadataTable(metadata: EntryMetadata): SummaryTable {
  const rows = Object.entries(metadata)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]);
  return { header: ["Field", "Value"], rows };
}
