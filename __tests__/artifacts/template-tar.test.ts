import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { writeTarGz } from "../../src/artifacts/template-tar.js";

async function folderWith(files: Record<string, Buffer>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "template-tar-"));
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

describe("writeTarGz", () => {
  // Small files are read whole ahead of packing, large ones streamed: a
  // file whose size changed since it was listed fails either way.
  it.each([
    ["a small file read ahead", 1_000],
    ["a large file streamed", 1_000_000],
  ])("refuses %s that changed after it was listed", async (_name, size) => {
    const dir = await folderWith({ "data.bin": Buffer.alloc(size, 7) });
    const listed = {
      path: "data.bin",
      source: path.join(dir, "data.bin"),
      mode: 0o644,
    };
    const error = await writeTarGz(
      [{ ...listed, bytes: size + 10 }],
      path.join(dir, "out.tar.gz"),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /"data\.bin" changed while it was archived: it had \d+ bytes when listed and \d+ when read/,
    );
  });

  it("writes many small files in their listed order", async () => {
    const names = Array.from(
      { length: 100 },
      (_, i) => `f${String(i).padStart(3, "0")}`,
    );
    const dir = await folderWith(
      Object.fromEntries(
        names.map((n) => [n, Buffer.from(`content of ${n}\n`)]),
      ),
    );
    const files = names.map((n) => ({
      path: n,
      source: path.join(dir, n),
      bytes: `content of ${n}\n`.length,
      mode: 0o644,
    }));
    const out = path.join(dir, "out.tar.gz");
    const result = await writeTarGz(files, out);
    expect(result.bytes).toBe((await fs.stat(out)).size);
    const { list } = await import("tar");
    const seen: string[] = [];
    await list({ file: out, onReadEntry: (entry) => seen.push(entry.path) });
    expect(seen).toEqual(names);
  });
});
