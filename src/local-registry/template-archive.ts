import { Parser, type ReadEntry } from "tar";

/** What the service looks at inside a template archive. */
export interface TemplateArchive {
  /** Every path in the archive, without a leading `./`. */
  paths: string[];
  /** The root `Pulumi.yaml` (or `Pulumi.yml`), when there is one. */
  project?: Buffer;
  /** The root `README.md`, when there is one. */
  readme?: Buffer;
}

const PROJECT_FILES = new Set(["Pulumi.yaml", "Pulumi.yml"]);

/** Reads a `.tar.gz`; rejects with a message when it is not one. */
export async function readTemplateArchive(
  bytes: Buffer,
): Promise<TemplateArchive> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new Error("the archive is not gzip-compressed (.tar.gz expected)");
  }
  return new Promise((resolve, reject) => {
    const archive: TemplateArchive = { paths: [] };
    const parser = new Parser({ strict: true });
    parser.on("entry", (entry: ReadEntry) => keepEntry(entry, archive));
    parser.on("error", (error: Error) => reject(badArchive(error)));
    parser.on("end", () => resolve(archive));
    parser.end(bytes);
  });
}

function keepEntry(entry: ReadEntry, archive: TemplateArchive): void {
  const path = entry.path.replace(/^(\.\/)+/, "");
  archive.paths.push(path);
  const wanted = PROJECT_FILES.has(path) || path === "README.md";
  if (!wanted || entry.type !== "File") {
    entry.resume();
    return;
  }
  const chunks: Buffer[] = [];
  entry.on("data", (chunk: Buffer) => chunks.push(chunk));
  entry.on("end", () => {
    const data = Buffer.concat(chunks);
    if (path === "README.md") archive.readme = data;
    else archive.project = data;
  });
}

function badArchive(error: Error): Error {
  return new Error(`the archive is not a valid .tar.gz: ${error.message}`);
}
