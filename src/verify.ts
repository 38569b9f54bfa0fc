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
import {
  createdAt,
  describeEntry,
  getVersion,
  type EntryMetadata,
} from "./entries.js";

/** Schemas larger than this are compared by bytes only. */
const MAX_PARSED_COMPARE_BYTES = 64 * 1024 * 1024;

/** Throws a `ConflictError` naming each artifact whose content differs. */
export async function verifyExisting(
  client: PublishClient,
  request: PublishRequest,
  logger: Logger,
): Promise<{ publishedAt?: string }> {
  const metadata = await getVersion(client, request.ref, request.version);
  if (!metadata) {
    throw new ProtocolError(
      `The registry reported that ${describeEntry(request.ref, request.version)} exists, but does ` +
        `not return it when asked for it.`,
    );
  }
  const differing: string[] = [];
  for (const [artifact, url] of publishedUrls(metadata, request.artifacts)) {
    const same = await compareArtifact(client, artifact, url, request.tempDir);
    logger.info(`${artifact.name}: ${same ? "identical" : "differs"}.`);
    if (!same) differing.push(artifact.name);
  }
  if (differing.length > 0) {
    throw new ConflictError(
      `${describeEntry(request.ref, request.version)} already exists with different content ` +
        `(${differing.join(", ")} differ). Versions cannot be replaced: ` +
        `publish a new version.`,
    );
  }
  return { publishedAt: createdAt(metadata) };
}

function publishedUrls(
  metadata: EntryMetadata,
  artifacts: Artifact[],
): [Artifact, string][] {
  const urls: Partial<Record<ArtifactName, string | undefined>> =
    "schemaURL" in metadata
      ? { schema: metadata.schemaURL, index: metadata.readmeURL }
      : { archive: metadata.downloadURL };
  return artifacts.flatMap((artifact) => {
    const url = urls[artifact.name];
    return url ? [[artifact, url] as [Artifact, string]] : [];
  });
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
