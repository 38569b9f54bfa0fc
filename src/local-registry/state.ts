import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rcompare } from "semver";
import { BlobStore } from "./blobs.js";
import type { PackageDetails } from "./package-metadata.js";
import type { TemplateDetails } from "./template-metadata.js";
import type { EntryKind } from "./types.js";

/** Names one package or template. */
export interface EntryKey {
  kind: EntryKind;
  source: string;
  publisher: string;
  name: string;
}

/** A completed version. */
export interface VersionRecord extends EntryKey {
  version: string;
  /** `createdAt` of a package, `updatedAt` of a template. */
  timestamp: string;
  /** Artifact name to blob digest. */
  artifacts: Record<string, string>;
  details: PackageDetails | TemplateDetails;
}

/** A started publish, waiting for uploads and its complete call. */
export interface Operation extends EntryKey {
  id: string;
  version: string;
  publishedAt?: string;
  uploads: Map<string, Buffer>;
  completed: boolean;
}

interface SavedState {
  secret: string;
  versions: VersionRecord[];
}

/** Everything the registry knows; saved to `dataDir` when one is given. */
export class RegistryState {
  readonly operations = new Map<string, Operation>();
  private readonly versions = new Map<string, VersionRecord>();

  private constructor(
    readonly blobs: BlobStore,
    readonly secret: string,
    private readonly file?: string,
  ) {}

  /** Loads the state saved in `dataDir`, or starts empty. */
  static open(dataDir?: string): RegistryState {
    const file = dataDir ? join(dataDir, "state.json") : undefined;
    const saved = file && existsSync(file) ? readSaved(file) : undefined;
    const secret = saved?.secret ?? randomBytes(32).toString("hex");
    const state = new RegistryState(new BlobStore(dataDir), secret, file);
    for (const record of saved?.versions ?? []) {
      state.versions.set(versionId(record, record.version), record);
    }
    state.save();
    return state;
  }

  /** The completed version, or undefined. */
  find(key: EntryKey, version: string): VersionRecord | undefined {
    return this.versions.get(versionId(key, version));
  }

  /** Completed versions of one entry, highest semver first. */
  versionsOf(key: EntryKey): VersionRecord[] {
    const prefix = entryId(key);
    return [...this.versions.values()]
      .filter((record) => entryId(record) === prefix)
      .sort((a, b) => rcompare(a.version, b.version));
  }

  /** The highest version of every entry of `kind`. */
  latestOfEach(kind: EntryKind): VersionRecord[] {
    const latest = new Map<string, VersionRecord>();
    for (const record of this.versions.values()) {
      if (record.kind !== kind) continue;
      const seen = latest.get(entryId(record));
      if (!seen || rcompare(record.version, seen.version) < 0) {
        latest.set(entryId(record), record);
      }
    }
    return [...latest.values()];
  }

  /** Stores a completed version with its artifact bytes. */
  add(
    record: Omit<VersionRecord, "artifacts">,
    bytes: Record<string, Buffer>,
  ): VersionRecord {
    const artifacts: Record<string, string> = {};
    for (const [artifact, data] of Object.entries(bytes)) {
      artifacts[artifact] = this.blobs.put(data);
    }
    const stored = { ...record, artifacts };
    this.versions.set(versionId(record, record.version), stored);
    this.save();
    return stored;
  }

  /** Deletes a completed version and the bytes nothing else refers to. */
  remove(record: VersionRecord): void {
    this.versions.delete(versionId(record, record.version));
    const inUse = new Set(
      [...this.versions.values()].flatMap((v) => Object.values(v.artifacts)),
    );
    for (const digest of Object.values(record.artifacts)) {
      if (!inUse.has(digest)) this.blobs.remove(digest);
    }
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    const saved: SavedState = {
      secret: this.secret,
      versions: [...this.versions.values()],
    };
    // Write then rename, so a crash never leaves half a file behind.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(saved, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

function readSaved(file: string): SavedState {
  return JSON.parse(readFileSync(file, "utf8")) as SavedState;
}

function entryId(key: EntryKey): string {
  return JSON.stringify([key.kind, key.source, key.publisher, key.name]);
}

function versionId(key: EntryKey, version: string): string {
  return JSON.stringify([
    key.kind,
    key.source,
    key.publisher,
    key.name,
    version,
  ]);
}
