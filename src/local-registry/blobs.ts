import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Content-addressed artifact bytes, kept on disk too when given a folder. */
export class BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly folder?: string;

  constructor(dataDir?: string) {
    if (dataDir) {
      this.folder = join(dataDir, "objects");
      mkdirSync(this.folder, { recursive: true });
    }
  }

  /** Stores `bytes` and returns their sha256 digest, the blob's key. */
  put(bytes: Buffer): string {
    const digest = createHash("sha256").update(bytes).digest("hex");
    if (!this.blobs.has(digest)) {
      this.blobs.set(digest, bytes);
      if (this.folder) writeFileSync(join(this.folder, digest), bytes);
    }
    return digest;
  }

  /** The bytes stored under `digest`, loading them from disk when needed. */
  get(digest: string): Buffer | undefined {
    const cached = this.blobs.get(digest);
    if (cached || !this.folder || !/^[0-9a-f]{64}$/.test(digest)) {
      return cached;
    }
    try {
      const bytes = readFileSync(join(this.folder, digest));
      this.blobs.set(digest, bytes);
      return bytes;
    } catch {
      return undefined;
    }
  }

  /** Forgets `digest`; the caller checks that nothing refers to it. */
  remove(digest: string): void {
    this.blobs.delete(digest);
    if (this.folder) rmSync(join(this.folder, digest), { force: true });
  }
}
