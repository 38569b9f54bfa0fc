/** File facts shared by every artifact: size and digest, read as a stream. */
import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { InputError } from "../errors.js";

/** The registry's names for the files of a version. */
export type ArtifactName =
  "schema" | "index" | "installationConfiguration" | "archive";

/** One file to upload, with what the report shows of it. */
export interface Artifact {
  name: ArtifactName;
  path: string;
  bytes: number;
  sha256: string;
  contentType: string;
}

/** Size and sha256 of a file, read as a stream (never whole in memory). */
export async function digestFile(
  file: string,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  await pipeline(createReadStream(file), async (chunks) => {
    for await (const chunk of chunks as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      hash.update(chunk);
    }
  });
  return { bytes, sha256: hash.digest("hex") };
}

/** Describes `file` as the artifact `name`. */
export async function describeArtifact(
  name: ArtifactName,
  file: string,
  contentType: string,
): Promise<Artifact> {
  return { name, path: file, contentType, ...(await digestFile(file)) };
}

/**
 * Checks that `file` is a readable regular file; the error names the input
 * it came from and the fix.
 */
export async function requireFile(file: string, input: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "does not exist" : `cannot be read (${code})`;
    throw new InputError(
      `Input "${input}": the file "${file}" ${reason}. Check the path ` +
        `(relative paths start at "working-directory"), and that the step ` +
        `that produces it ran before this one.`,
      { input, file },
    );
  }
  if (!stat.isFile()) {
    throw new InputError(
      `Input "${input}": "${file}" is a directory, not a file. ` +
        `Name the file itself.`,
      { input, file },
    );
  }
}

/** Finds the first existing file among `names` in `dir`, ignoring case. */
export async function findFileIgnoringCase(
  dir: string,
  names: string[],
): Promise<string | undefined> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const match = entries.find((e) => e.toLowerCase() === name.toLowerCase());
    if (match && (await fs.stat(path.join(dir, match))).isFile()) {
      return path.join(dir, match);
    }
  }
  return undefined;
}
