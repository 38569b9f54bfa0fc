/**
 * Writing a reproducible .tar.gz: the same files give the same bytes on
 * every machine, whoever owns them, whenever they were touched.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import { once } from "node:events";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants as zlib, createGzip } from "node:zlib";
import { Header, Pack, ReadEntry } from "tar";
import { InputError } from "../errors.js";
import type { TemplateFile } from "./template-files.js";

/**
 * The modification time of every entry: 1980-01-01T00:00:00Z, the earliest
 * time a zip can hold, which tools that unpack into zips accept; a zero
 * mtime is read by some tools as "unknown".
 */
export const ARCHIVE_MTIME = new Date(Date.UTC(1980, 0, 1));

/**
 * gzip's own default, written down so the compressed bytes never follow a
 * change of zlib's default; level 9 costs about 0.3 s more on a 35 MB
 * template for a 0.6% smaller archive.
 */
const GZIP_LEVEL = 6;
/** RFC 1952 "unknown" OS: zlib writes the build OS (3 Linux, 19 macOS…). */
const GZIP_OS_UNKNOWN = 0xff;
const GZIP_OS_OFFSET = 9;
/**
 * The tar stream comes in pieces of a header or a small file; each write
 * to gzip is a round trip to the thread pool, so they are joined first.
 */
const GZIP_INPUT_BYTES = 256 * 1024;

/** What was written. */
export interface TarGzResult {
  /** Compressed size. */
  bytes: number;
  /** Hex sha256 of the .tar.gz. */
  sha256: string;
  /** Size of the tar stream before compression. */
  tarBytes: number;
  /** Hex sha256 of the tar stream before compression. */
  tarSha256: string;
}

/** Raised inside the stream when the compressed size passes the limit. */
export class ArchiveTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The archive is larger than ${limit} bytes.`);
    this.name = "ArchiveTooLargeError";
  }
}

/**
 * Streams `files`, in the order given, into a gzip-compressed tar at
 * `outFile`. Each entry is a regular file with the fixed
 * {@link ARCHIVE_MTIME}, uid and gid 0, no user or group name and the
 * file's normalised mode; no access, change or device times are stored,
 * and the gzip header carries no name, time or OS. Stops with
 * {@link ArchiveTooLargeError} once more than `maxBytes` are written.
 */
export async function writeTarGz(
  files: readonly TemplateFile[],
  outFile: string,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<TarGzResult> {
  // Entries are fed to Pack as tar entries described here, rather than as
  // paths, so that no owner, time, umask-dependent mode or hard link from
  // the local filesystem reaches the archive.
  const pack = new Pack({ portable: false, noPax: false });
  const tar = new DigestStream();
  const gz = new DigestStream(maxBytes);
  const abort = new AbortController();

  pack.on("error", (error: unknown) => tar.destroy(asError(error)));
  pack.pipe(tar);
  const written = pipeline(
    tar,
    new Coalescer(GZIP_INPUT_BYTES),
    createGzip({
      level: GZIP_LEVEL,
      strategy: zlib.Z_DEFAULT_STRATEGY,
      chunkSize: GZIP_INPUT_BYTES,
    }),
    new GzipHeaderNormaliser(),
    gz,
    createWriteStream(outFile),
  ).catch((error: unknown) => {
    abort.abort(error);
    throw error;
  });

  await Promise.all([written, addEntries(pack, files, abort.signal)]);
  return { ...gz.result(), ...prefixed(tar.result()) };
}

function prefixed(r: { bytes: number; sha256: string }) {
  return { tarBytes: r.bytes, tarSha256: r.sha256 };
}

/** Small files are read this many entries ahead of the one being packed. */
const READ_AHEAD = 32;
/** Files up to this size are read whole; larger ones are streamed. */
const SMALL_FILE_BYTES = 256 * 1024;

/**
 * Adds the entries in order. Reading thousands of small files one after
 * another waits on the thread pool for each open, read and close, so small
 * files are read a few entries ahead, in parallel; memory stays bounded by
 * READ_AHEAD × SMALL_FILE_BYTES.
 */
async function addEntries(
  pack: Pack,
  files: readonly TemplateFile[],
  signal: AbortSignal,
): Promise<void> {
  const ahead = new Map<number, Promise<Buffer>>();
  const readAhead = (index: number) => {
    const file = files[index];
    if (!file || ahead.has(index) || file.bytes > SMALL_FILE_BYTES) return;
    const read = fs.readFile(file.source, { signal });
    read.catch(() => undefined); // awaited below, or dropped on failure
    ahead.set(index, read);
  };
  try {
    for (let index = 0; index < files.length; index++) {
      for (let next = index; next < index + READ_AHEAD; next++) {
        readAhead(next);
      }
      const content = ahead.get(index);
      ahead.delete(index);
      await addEntry(pack, files[index]!, signal, content);
    }
    pack.end();
  } catch (error) {
    if (signal.aborted) return; // the pipeline's own error is reported
    pack.emit("error", error);
    throw error;
  }
}

async function addEntry(
  pack: Pack,
  file: TemplateFile,
  signal: AbortSignal,
  content?: Promise<Buffer>,
): Promise<void> {
  const entry = new ReadEntry(
    new Header({
      path: file.path,
      type: "File",
      mode: file.mode,
      size: file.bytes,
      mtime: ARCHIVE_MTIME,
      uid: 0,
      gid: 0,
      uname: "",
      gname: "",
    }),
  );
  pack.add(entry);

  const copied = content
    ? await writeWhole(entry, file, await content, signal)
    : file.bytes > 0
      ? await copyInto(entry, file, signal)
      : 0;
  if (copied !== file.bytes) throw changedFileError(file, copied);
  entry.end();
}

/** Writes a file read whole; a size other than the listed one is a change. */
async function writeWhole(
  entry: ReadEntry,
  file: TemplateFile,
  content: Buffer,
  signal: AbortSignal,
): Promise<number> {
  if (content.length !== file.bytes) return content.length;
  if (content.length > 0 && !entry.write(content)) {
    await once(entry, "drain", { signal });
  }
  return content.length;
}

/** Copies the first `file.bytes` bytes, waiting whenever the tar is busy. */
async function copyInto(
  entry: ReadEntry,
  file: TemplateFile,
  signal: AbortSignal,
): Promise<number> {
  const input = createReadStream(file.source, {
    start: 0,
    end: file.bytes - 1,
    signal,
  });
  let copied = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    copied += chunk.length;
    if (!entry.write(chunk)) await once(entry, "drain", { signal });
  }
  return copied;
}

function changedFileError(file: TemplateFile, copied: number): InputError {
  return new InputError(
    `The template file "${file.path}" changed while it was archived: it ` +
      `had ${file.bytes} bytes when listed and ${copied} when read. ` +
      "Make sure no other step writes into the template folder while the " +
      "action runs, then run it again.",
    { input: "template-directory", file: file.source },
  );
}

/** Passes bytes through, counting and hashing them, up to a limit. */
class DigestStream extends Transform {
  private readonly hash: Hash = createHash("sha256");
  private bytes = 0;

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {
    super();
  }

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: TransformCallback,
  ): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      done(new ArchiveTooLargeError(this.limit));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  result(): { bytes: number; sha256: string } {
    return { bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}

/** Joins small chunks into ones of at least `size` bytes. */
class Coalescer extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly size: number) {
    super();
  }

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: TransformCallback,
  ): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.size) this.release();
    done();
  }

  override _flush(done: TransformCallback): void {
    this.release();
    done();
  }

  private release(): void {
    if (this.pendingBytes === 0) return;
    this.push(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/**
 * Sets the OS byte of the gzip header to "unknown". Node's zlib writes
 * no name and a zero time already, but the OS byte is the platform
 * zlib was built for, which would make archives differ between runners.
 */
class GzipHeaderNormaliser extends Transform {
  private offset = 0;

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: TransformCallback,
  ): void {
    const at = GZIP_OS_OFFSET - this.offset;
    this.offset += chunk.length;
    if (at < 0 || at >= chunk.length) {
      done(null, chunk);
      return;
    }
    const copy = Buffer.from(chunk);
    copy[at] = GZIP_OS_UNKNOWN;
    done(null, copy);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
