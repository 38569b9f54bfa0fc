/**
 * `if-exists: verify`: when the version exists, download what the registry
 * holds and compare it with what this run built, so that a rerun of a
 * release job passes only when it would have published the same thing.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { ConflictError, ProtocolError } from "./errors.js";
import type { Artifact, ArtifactName } from "./artifacts/files.js";
import type { Logger } from "./logger.js";
import type { PublishClient, PublishRequest } from "./publish.js";
import { describeEntry, type EntryMetadata } from "./entries.js";
import type {
  EntryRef,
  PackageMetadata,
  TemplateMetadata,
} from "./registry/types.js";

/** Schemas larger than this are compared by bytes only. */
const MAX_PARSED_COMPARE_BYTES = 64 * 1024 * 1024;

/** What a verification compared, and what it could not. */
export interface Verification {
  compared: ArtifactName[];
  /** Artifacts the registry offers no download for. */
  notCompared: ArtifactName[];
}

/**
 * Compares every artifact the registry lets us download with this run's
 * file; throws a `ConflictError` naming each one that differs.
 */
export async function verifyExisting(
  client: PublishClient,
  request: PublishRequest,
  existing: EntryMetadata,
  logger: Logger,
): Promise<Verification> {
  const what = describeEntry(request.ref, request.version);
  const verification: Verification = { compared: [], notCompared: [] };
  const differing: string[] = [];
  for (const artifact of request.artifacts) {
    const url = downloadUrlOf(request.ref, existing, artifact.name);
    if (url === null) {
      logger.warning(
        `${artifact.name} of ${what} cannot be compared: the registry ` +
          `offers no download of it.`,
      );
      verification.notCompared.push(artifact.name);
      continue;
    }
    if (!url) {
      throw new ProtocolError(
        `Cannot verify ${what}: the registry returned no download URL for ` +
          `its ${artifact.name}.`,
      );
    }
    const same = await compareArtifact(client, artifact, url, request.tempDir);
    logger.info(`${artifact.name}: ${same ? "identical" : "differs"}.`);
    verification.compared.push(artifact.name);
    if (!same) differing.push(artifact.name);
  }
  if (differing.length > 0) {
    throw new ConflictError(
      `${what} already exists with different content ` +
        `(${differing.join(", ")} differ). Versions cannot be replaced: ` +
        `publish a new version.`,
    );
  }
  return verification;
}

/**
 * The URL the registry gives for downloading an artifact: a string (empty
 * when the answer lacks it), or null where the API has no such field.
 */
function downloadUrlOf(
  ref: EntryRef,
  existing: EntryMetadata,
  name: ArtifactName,
): string | null {
  const urls: Partial<Record<ArtifactName, string | undefined>> =
    ref.kind === "package"
      ? {
          schema: (existing as PackageMetadata).schemaURL,
          index: (existing as PackageMetadata).readmeURL,
        }
      : { archive: (existing as TemplateMetadata).downloadURL };
  return name in urls ? (urls[name] ?? "") : null;
}

async function compareArtifact(
  client: PublishClient,
  artifact: Artifact,
  url: string,
  tempDir: string,
): Promise<boolean> {
  const dest = path.join(tempDir, `published-${artifact.name}`);
  try {
    const published = await client.download(url, dest);
    if (published.sha256 === artifact.sha256) return true;
    const parseable =
      artifact.name === "schema" &&
      Math.max(published.bytes, artifact.bytes) <= MAX_PARSED_COMPARE_BYTES;
    return parseable && (await sameJson(dest, artifact.path));
  } finally {
    await fs.rm(dest, { force: true });
  }
}

/** The registry may store a schema re-serialized: compare the values. */
async function sameJson(a: string, b: string): Promise<boolean> {
  try {
    const [left, right] = await Promise.all(
      [a, b].map(async (file) => JSON.parse(await fs.readFile(file, "utf8"))),
    );
    return isDeepStrictEqual(left, right);
  } catch {
    return false;
  }
}
