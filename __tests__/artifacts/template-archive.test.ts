import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as tar from "tar";
import { InputError } from "../../src/errors.js";
import { MemoryLogger } from "../../src/logger.js";
import {
  buildTemplateArchive,
  type TemplateArchive,
} from "../../src/artifacts/template-archive.js";
import { readTemplateProject } from "../../src/artifacts/template-project.js";

const REAL_TEMPLATES = "/work/shared/fixtures/real/templates";
const PROJECT =
  "name: ${PROJECT}\nruntime: yaml\ntemplate:\n  description: x\n";
const isWindows = process.platform === "win32";

let tmp: string;
let outDir: string;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "template-archive-"));
  outDir = path.join(tmp, "out");
});

afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Writes `files` (path → content) under `root`, making folders. */
async function writeTree(
  root: string,
  files: Record<string, string>,
): Promise<string> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
  return root;
}

async function build(
  dir: string,
  extra: { workspace?: string; maxBytes?: number; out?: string } = {},
): Promise<{ archive: TemplateArchive; logger: MemoryLogger }> {
  const logger = new MemoryLogger();
  const archive = await buildTemplateArchive({
    dir,
    outDir: extra.out ?? outDir,
    workspace: extra.workspace,
    maxBytes: extra.maxBytes ?? 10 * 1024 * 1024,
    logger,
  });
  return { archive, logger };
}

interface ListedEntry {
  path: string;
  type: string;
  mode?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  mtime?: Date;
  size: number;
  content: string;
}

/** Lists an archive with `tar.t`, keeping each header and its content. */
async function listArchive(file: string): Promise<ListedEntry[]> {
  const entries: ListedEntry[] = [];
  await tar.t({
    file,
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => {
        entries.push({
          path: entry.path,
          type: entry.type,
          mode: entry.mode,
          uid: entry.uid,
          gid: entry.gid,
          uname: entry.uname,
          gname: entry.gname,
          mtime: entry.mtime,
          size: entry.size,
          content: Buffer.concat(chunks).toString("utf8"),
        });
      });
    },
  });
  return entries;
}

/** The "left out" lines logged inside the archive's log group. */
function leftOutLines(logger: MemoryLogger): string[] {
  const start = logger.lines.indexOf("group: Template archive contents");
  const end = logger.lines.indexOf("endgroup", start);
  expect(start).toBeGreaterThanOrEqual(0);
  return logger.lines
    .slice(start, end)
    .filter((line) => line.startsWith("left out: "));
}

async function sha256Of(file: string): Promise<string> {
  return createHash("sha256")
    .update(await fs.readFile(file))
    .digest("hex");
}

async function expectInputError(
  promise: Promise<unknown>,
  pattern: RegExp,
): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).message).toMatch(pattern);
  return error as InputError;
}

describe("buildTemplateArchive: contents and headers", () => {
  it("stores plain relative paths, sorted, with fixed headers", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      "README.md": "# Hello",
      "src/index.ts": "export {};\n",
      "b.txt": "b",
      "a/z.txt": "z",
    });
    if (!isWindows) await fs.chmod(path.join(dir, "b.txt"), 0o700);

    const { archive } = await build(dir);
    const entries = await listArchive(archive.path);

    expect(entries.map((e) => e.path)).toEqual([
      "Pulumi.yaml",
      "README.md",
      "a/z.txt",
      "b.txt",
      "src/index.ts",
    ]);
    expect(archive.files.map((f) => f.path)).toEqual(
      entries.map((e) => e.path),
    );
    for (const entry of entries) {
      expect(entry.type).toBe("File");
      expect(entry.uid).toBe(0);
      expect(entry.gid).toBe(0);
      expect(entry.uname ?? "").toBe("");
      expect(entry.gname ?? "").toBe("");
      expect(entry.mtime?.toISOString()).toBe("1980-01-01T00:00:00.000Z");
      const exec = entry.path === "b.txt" && !isWindows;
      expect(entry.mode).toBe(exec ? 0o755 : 0o644);
    }
    expect(entries[0].content).toBe(PROJECT);
  });

  it("reports sizes, the largest files and a one-line summary", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      "README.md": "r".repeat(300),
      "big.bin": "x".repeat(5000),
    });

    const { archive, logger } = await build(dir);

    expect(archive.uncompressedBytes).toBe(PROJECT.length + 300 + 5000);
    expect(archive.bytes).toBe((await fs.stat(archive.path)).size);
    expect(archive.sha256).toBe(await sha256Of(archive.path));
    expect(archive.largest[0]).toEqual({ path: "big.bin", bytes: 5000 });
    expect(archive.warnings).toEqual([]);
    expect(path.dirname(archive.path)).toBe(outDir);
    expect(logger.lines[0]).toMatch(
      /^Template archive tpl\.tar\.gz: 3 files, 5\.2 KiB uncompressed, \d+ B compressed, sha256 [0-9a-f]{64}$/,
    );
    expect(logger.lines).toContain("group: Template archive contents");
    expect(logger.lines).toContain("endgroup");
  });

  it("writes a gzip header without time, name or OS", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
    });
    const { archive } = await build(dir);
    const head = (await fs.readFile(archive.path)).subarray(0, 10);

    // Bytes 4-7: no time; 8: level 6 (no extra flags); 9: OS "unknown".
    expect([...head]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  });

  it("warns when README.md is missing at the root", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      "docs/README.md": "nested",
    });
    const { archive, logger } = await build(dir);

    expect(archive.warnings).toHaveLength(1);
    expect(archive.warnings[0]).toMatch(/no README\.md at its root/);
    expect(logger.lines).toContain(`warning: ${archive.warnings[0]}`);
  });

  it("keeps Pulumi.yaml at the root for a nested template folder", async () => {
    const repo = path.join(tmp, "repo");
    await fs.mkdir(path.join(repo, ".git"), { recursive: true });
    const dir = await writeTree(path.join(repo, "templates", "foo"), {
      "Pulumi.yaml": PROJECT,
      "index.ts": "",
    });

    const { archive } = await build(dir, { workspace: repo });
    const entries = await listArchive(archive.path);

    expect(entries.map((e) => e.path)).toEqual(["Pulumi.yaml", "index.ts"]);
    expect(path.basename(archive.path)).toBe("foo.tar.gz");
  });

  it("refuses to write the archive inside the template folder", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
    });
    await expectInputError(
      build(dir, { out: path.join(dir, "out") }),
      /inside the template folder/,
    );
  });
});

describe("buildTemplateArchive: reproducible bytes", () => {
  async function makeTemplate(): Promise<string> {
    return writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      "README.md": "# Readme\n",
      "src/index.ts": "console.log(1);\n".repeat(200),
      "src/ü-ünïcode.txt": "unicode name\n",
      [`deep/${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(60)}.txt`]:
        "a path longer than 100 bytes\n",
    });
  }

  it("gives the same sha256 twice, after touching times and umask", async () => {
    const dir = await makeTemplate();
    const first = (await build(dir, { out: path.join(tmp, "o1") })).archive;

    const later = new Date("2031-05-06T07:08:09Z");
    for (const f of first.files) {
      await fs.utimes(path.join(dir, f.path), later, later);
    }
    const oldMask = process.umask(0o077);
    try {
      await fs.rm(path.join(dir, "README.md"));
      await fs.writeFile(path.join(dir, "README.md"), "# Readme\n");
    } finally {
      process.umask(oldMask);
    }
    const second = (await build(dir, { out: path.join(tmp, "o2") })).archive;

    expect(second.sha256).toBe(first.sha256);
    expect(second.tarSha256).toBe(first.tarSha256);
    expect(await sha256Of(second.path)).toBe(await sha256Of(first.path));
  });

  it("stores long and non-ASCII paths exactly", async () => {
    const dir = await makeTemplate();
    const { archive } = await build(dir);
    const paths = (await listArchive(archive.path)).map((e) => e.path);

    expect(paths).toContain("src/ü-ünïcode.txt");
    expect(paths.some((p) => p.length > 100)).toBe(true);
    expect(paths).toEqual(archive.files.map((f) => f.path));
  });

  it("sorts by the bytes of the path", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      "B.txt": "",
      "a.txt": "",
      "a-b.txt": "",
      "a/b.txt": "",
      "_.txt": "",
    });
    const { archive } = await build(dir);

    expect(archive.files.map((f) => f.path)).toEqual([
      "B.txt",
      "Pulumi.yaml",
      "_.txt",
      "a-b.txt",
      "a.txt",
      "a/b.txt",
    ]);
  });
});

describe("buildTemplateArchive: what is left out", () => {
  it("leaves out .git and node_modules at any depth", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      ".git/HEAD": "ref",
      "node_modules/x/index.js": "",
      "src/node_modules/y/index.js": "",
      "src/.git": "gitdir: elsewhere",
      "src/index.ts": "",
    });
    const { archive } = await build(dir);

    expect(archive.files.map((f) => f.path)).toEqual([
      "Pulumi.yaml",
      "src/index.ts",
    ]);
  });

  it("applies the folder's .gitignore files like git", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      ".gitignore": "*.log\n!keep.log\nbuild/\n/top.txt\n",
      "a.log": "",
      "keep.log": "",
      "build/out.js": "",
      "src/build": "a file named build, not a directory",
      "top.txt": "",
      "src/top.txt": "",
      "src/.gitignore": "secret.txt\n!a.log\n",
      "src/secret.txt": "",
      "src/a.log": "",
      "other/secret.txt": "",
    });
    const { archive, logger } = await build(dir);

    expect(archive.files.map((f) => f.path)).toEqual([
      ".gitignore",
      "Pulumi.yaml",
      "keep.log",
      "other/secret.txt",
      "src/.gitignore",
      "src/a.log",
      "src/build",
      "src/top.txt",
    ]);
    expect(leftOutLines(logger)).toEqual([
      "left out: a.log (.gitignore: *.log)",
      "left out: build/ (.gitignore: build/)",
      "left out: src/secret.txt (src/.gitignore: secret.txt)",
      "left out: top.txt (.gitignore: /top.txt)",
    ]);
  });

  it("names parent rule files relative to the template folder", async () => {
    const repo = await writeTree(path.join(tmp, "repo"), {
      ".git/HEAD": "ref",
      ".gitignore": "*.tmp\n",
    });
    const dir = await writeTree(path.join(repo, "templates", "foo"), {
      "Pulumi.yaml": PROJECT,
      "x.tmp": "",
    });
    const { logger } = await build(dir, { workspace: repo });

    expect(leftOutLines(logger)).toEqual([
      "left out: x.tmp (../../.gitignore: *.tmp)",
    ]);
  });

  it("lists at most 50 left-out paths, then a count", async () => {
    const files: Record<string, string> = {
      "Pulumi.yaml": PROJECT,
      ".gitignore": "*.log\n",
    };
    for (let i = 0; i < 60; i++)
      files[`f${String(i).padStart(2, "0")}.log`] = "";
    const dir = await writeTree(path.join(tmp, "tpl"), files);
    const { logger } = await build(dir);

    const lines = leftOutLines(logger);
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe("left out: f00.log (.gitignore: *.log)");
    expect(lines[49]).toBe("left out: f49.log (.gitignore: *.log)");
    expect(lines[50]).toMatch(/^left out: 10 more paths/);
    expect(logger.lines).toContain(
      "debug: left out: f59.log (.gitignore: *.log)",
    );
  });

  it("does not re-include a file inside an ignored folder", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      ".gitignore": "dist/\n!dist/keep.js\n",
      "dist/keep.js": "",
    });
    const { archive } = await build(dir);

    expect(archive.files.map((f) => f.path)).toEqual([
      ".gitignore",
      "Pulumi.yaml",
    ]);
  });

  it("applies parent .gitignore files up to the repository root", async () => {
    const repo = path.join(tmp, "repo");
    await writeTree(repo, {
      ".git/HEAD": "ref",
      ".gitignore": "*.tmp\n/templates/foo/root-only.txt\ncache/\n",
      "templates/.gitignore": "*.bak\n!wanted.bak\n",
    });
    await writeTree(tmp, { ".gitignore": "*\n" }); // above the repository
    const dir = await writeTree(path.join(repo, "templates", "foo"), {
      "Pulumi.yaml": PROJECT,
      "x.tmp": "",
      "root-only.txt": "",
      "old.bak": "",
      "wanted.bak": "",
      "cache/c.txt": "",
      "kept.txt": "",
    });
    const { archive } = await build(dir, { workspace: tmp });

    expect(archive.files.map((f) => f.path)).toEqual([
      "Pulumi.yaml",
      "kept.txt",
      "wanted.bak",
    ]);
  });

  it("reads no parent .gitignore without a repository root", async () => {
    const workspace = path.join(tmp, "ws");
    await writeTree(workspace, { ".gitignore": "*.tmp\n" });
    const dir = await writeTree(path.join(workspace, "tpl"), {
      "Pulumi.yaml": PROJECT,
      "x.tmp": "",
    });
    const { archive } = await build(dir, { workspace });

    expect(archive.files.map((f) => f.path)).toEqual(["Pulumi.yaml", "x.tmp"]);
  });

  it("honours .pulumiignore at the template root", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      ".gitignore": "*.env\n",
      ".pulumiignore": "tests/\n!local.env\n",
      "tests/a.test.ts": "",
      "local.env": "",
      "prod.env": "",
    });
    const { archive } = await build(dir);

    expect(archive.files.map((f) => f.path)).toEqual([
      ".gitignore",
      ".pulumiignore",
      "Pulumi.yaml",
      "local.env",
    ]);
  });

  it("fails when the rules leave out Pulumi.yaml, naming the rule", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      ".pulumiignore": "*.yaml\n",
    });
    const error = await expectInputError(
      build(dir),
      /no Pulumi\.yaml: it is left out by the pattern "\*\.yaml"/,
    );
    expect(error.location.file).toBe(path.join(dir, ".pulumiignore"));
  });
});

describe.skipIf(isWindows)(
  "buildTemplateArchive: links and special files",
  () => {
    it("stores a link inside the folder as its target's content", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
        "shared/config.json": "{}",
      });
      await fs.chmod(path.join(dir, "shared/config.json"), 0o755);
      await fs.symlink("shared/config.json", path.join(dir, "config.json"));
      await fs.symlink("shared", path.join(dir, "linked"));

      const { archive } = await build(dir);
      const entries = await listArchive(archive.path);

      expect(entries.map((e) => [e.path, e.type, e.mode, e.content])).toEqual([
        ["Pulumi.yaml", "File", 0o644, PROJECT],
        ["config.json", "File", 0o755, "{}"],
        ["linked/config.json", "File", 0o755, "{}"],
        ["shared/config.json", "File", 0o755, "{}"],
      ]);
    });

    it("fails on a link that points outside, naming the link", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
      });
      await writeTree(tmp, { "secret.txt": "s" });
      await fs.symlink("../secret.txt", path.join(dir, "leak.txt"));

      const error = await expectInputError(
        build(dir),
        /symbolic link "leak\.txt" that points to "\.\.\/secret\.txt".*outside the template folder/,
      );
      expect(error.location.input).toBe("template-directory");
    });

    it("fails on a link to a folder outside", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
      });
      await fs.symlink(os.homedir(), path.join(dir, "home"));
      await expectInputError(build(dir), /"home" that points to .*outside/);
    });

    it("fails on a dangling link", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
      });
      await fs.symlink("missing.txt", path.join(dir, "broken"));
      await expectInputError(
        build(dir),
        /"broken" that points to "missing\.txt", which does not exist/,
      );
    });

    it("fails on a loop of links and on a link to its own folder", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
      });
      await fs.symlink("b", path.join(dir, "a"));
      await fs.symlink("a", path.join(dir, "b"));
      await expectInputError(build(dir), /"a" that points to "b".*loop/);

      await fs.rm(path.join(dir, "a"));
      await fs.rm(path.join(dir, "b"));
      await fs.mkdir(path.join(dir, "sub"));
      await fs.symlink("..", path.join(dir, "sub", "up"));
      await expectInputError(
        build(dir),
        /"sub\/up" .* contains the link itself/,
      );
    });

    it("skips an ignored dangling link", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
        ".gitignore": "broken\n",
      });
      await fs.symlink("missing.txt", path.join(dir, "broken"));
      const { archive } = await build(dir);
      expect(archive.files.map((f) => f.path)).toEqual([
        ".gitignore",
        "Pulumi.yaml",
      ]);
    });

    it("refuses a file link into a nested .git folder", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
        "sub/.git/config": "secret",
      });
      await fs.symlink("sub/.git/config", path.join(dir, "gitcfg"));

      const error = await expectInputError(
        build(dir),
        /link "gitcfg" that points to "sub\/\.git\/config", inside "\.git".*Remove the link, or point it/,
      );
      expect(error.location.file).toBe(path.join(dir, "gitcfg"));
      await expect(fs.readdir(outDir)).rejects.toThrow();
    });

    it("refuses a folder link into .git", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
        ".git/config": "secret",
        "src/index.ts": "",
      });
      await fs.symlink("../.git", path.join(dir, "src", "meta"));
      await expectInputError(
        build(dir),
        /link "src\/meta" that points to "\.\.\/\.git" \("\.git" in the template\), inside "\.git"/,
      );
    });

    it("refuses file and folder links into node_modules", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
        "node_modules/pkg/index.js": "module.exports = 1;",
      });
      await fs.symlink("node_modules/pkg/index.js", path.join(dir, "a.js"));
      await expectInputError(
        build(dir),
        /link "a\.js" that points to "node_modules\/pkg\/index\.js", inside "node_modules"/,
      );

      await fs.rm(path.join(dir, "a.js"));
      await fs.symlink("node_modules/pkg", path.join(dir, "pkg"));
      await expectInputError(
        build(dir),
        /link "pkg" that points to "node_modules\/pkg", inside "node_modules"/,
      );
    });

    it("leaves out links to ignored files and folders, and logs them", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
        ".gitignore": "secret.txt\nprivate/\n/shared/local.json\n",
        "secret.txt": "s1",
        "private/key.pem": "s2",
        "shared/ok.json": "{}",
        "shared/local.json": "s3",
        "conf/.gitignore": "*.local\n",
        "conf/db.local": "s4",
      });
      await fs.symlink("secret.txt", path.join(dir, "visible.txt"));
      await fs.symlink("private/key.pem", path.join(dir, "key.txt"));
      await fs.symlink("private", path.join(dir, "vault"));
      await fs.symlink("shared", path.join(dir, "linked"));
      await fs.symlink("conf/db.local", path.join(dir, "db.txt"));

      const { archive, logger } = await build(dir);
      const entries = await listArchive(archive.path);

      expect(entries.map((e) => e.path)).toEqual([
        ".gitignore",
        "Pulumi.yaml",
        "conf/.gitignore",
        "linked/ok.json",
        "shared/ok.json",
      ]);
      expect(entries.map((e) => e.content).join()).not.toMatch(/s\d/);
      expect(logger.lines).toEqual(
        expect.arrayContaining([
          "left out: db.txt -> conf/db.local (conf/.gitignore: *.local)",
          "left out: key.txt -> private/key.pem (.gitignore: private/)",
          "left out: linked/local.json -> shared/local.json " +
            "(.gitignore: /shared/local.json)",
          "left out: vault/ -> private/ (.gitignore: private/)",
          "left out: visible.txt -> secret.txt (.gitignore: secret.txt)",
        ]),
      );
    });

    it("fails on a FIFO", async () => {
      const dir = await writeTree(path.join(tmp, "tpl"), {
        "Pulumi.yaml": PROJECT,
      });
      execFileSync("mkfifo", [path.join(dir, "pipe")]);
      await expectInputError(build(dir), /"pipe", which is a named pipe/);
    });
  },
);

describe("buildTemplateArchive: size limit", () => {
  async function makeIncompressible(): Promise<string> {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
      "README.md": "# r",
    });
    // Random bytes do not compress, so the archive is at least this big.
    const random = createHash("sha512");
    const chunks: Buffer[] = [];
    for (let i = 0; i < 2000; i++) {
      chunks.push(random.copy().update(String(i)).digest());
    }
    await fs.writeFile(path.join(dir, "data.bin"), Buffer.concat(chunks));
    return dir;
  }

  it("fails above max-archive-size and leaves no file", async () => {
    const dir = await makeIncompressible();
    const error = await expectInputError(
      build(dir, { maxBytes: 50_000 }),
      /larger than max-archive-size \(48\.8 KiB compressed\).*data\.bin \(125\.0 KiB\).*raise "max-archive-size"/,
    );
    expect(error.location.input).toBe("max-archive-size");
    expect(await fs.readdir(outDir)).toEqual([]);
  });

  it("warns above half of max-archive-size", async () => {
    const dir = await makeIncompressible();
    const { archive, logger } = await build(dir, { maxBytes: 200_000 });

    expect(archive.warnings).toHaveLength(1);
    expect(archive.warnings[0]).toMatch(/more than half of max-archive-size/);
    expect(logger.lines.filter((l) => l.startsWith("warning:"))).toHaveLength(
      1,
    );
  });

  it("streams a large file without holding it in memory", async () => {
    const dir = await writeTree(path.join(tmp, "tpl"), {
      "Pulumi.yaml": PROJECT,
    });
    const big = path.join(dir, "big.bin");
    const handle = await fs.open(big, "w");
    const block = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < 64; i++) await handle.write(block);
    await handle.close();

    const before = process.memoryUsage().arrayBuffers;
    const { archive } = await build(dir, { maxBytes: 1024 * 1024 * 1024 });
    const grown = process.memoryUsage().arrayBuffers - before;

    expect(archive.uncompressedBytes).toBe(64 * 1024 * 1024 + PROJECT.length);
    expect(grown).toBeLessThan(32 * 1024 * 1024);
  });
});

describe("real templates", async () => {
  const names = (await fs.readdir(REAL_TEMPLATES)).sort();

  it.each(names)("%s: validates and archives", async (name) => {
    const dir = path.join(tmp, name);
    await fs.cp(path.join(REAL_TEMPLATES, name), dir, { recursive: true });

    const project = await readTemplateProject(dir);
    const { archive } = await build(dir);
    const hasReadme = await fs.access(path.join(dir, "README.md")).then(
      () => true,
      () => false,
    );

    expect(project.name).toBeUndefined();
    expect(project.file).toBe(path.join(dir, "Pulumi.yaml"));
    expect(archive.files.map((f) => f.path)).toEqual(
      hasReadme ? ["Pulumi.yaml", "README.md"] : ["Pulumi.yaml"],
    );
    const entries = await listArchive(archive.path);
    const original = await fs.readFile(path.join(dir, "Pulumi.yaml"), "utf8");
    expect(entries[0].content).toBe(original);
  });
});

const hasGit = (() => {
  try {
    execFileSync("git", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasGit)("buildTemplateArchive: agrees with git", () => {
  /** The files git would add under `dir`, as template paths. */
  function gitFiles(dir: string): string[] {
    const out = execFileSync(
      "git",
      [
        "-c",
        "core.excludesFile=",
        "-c",
        "core.ignoreCase=false",
        "ls-files",
        "--others",
        "--exclude-standard",
        "-z",
        "--",
        ".",
      ],
      { cwd: dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } },
    ).toString("utf8");
    return out
      .split("\0")
      .filter(Boolean)
      .filter((p) => !p.split("/").includes("node_modules"))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  it("keeps exactly the files git would add", async () => {
    const repo = path.join(tmp, "repo");
    execFileSync("git", ["init", "-q", repo]);
    await writeTree(repo, {
      ".gitignore": "*.tmp\nsrc/\n**/logs/**\n!keep.tmp\n",
      "templates/.gitignore": "/foo/anchored.txt\ngen*\n",
    });
    const dir = await writeTree(path.join(repo, "templates", "foo"), {
      "Pulumi.yaml": PROJECT,
      ".gitignore": "!src/\n!generated.ts\nout/\n*.b[a-z]k\n",
      "a.tmp": "",
      "keep.tmp": "",
      "anchored.txt": "",
      "sub/anchored.txt": "",
      "generated.ts": "",
      "gen-other.ts": "",
      "out/x.js": "",
      "sub/out": "a file",
      "x.bak": "",
      "x.b1k": "",
      "logs/today/a.txt": "",
      "src/index.ts": "",
      "src/deep/a.tmp": "",
      "src/deep/b.ts": "",
      "dir with space/file #1.txt": "",
      "sub/.gitignore": "*\n!*.md\n!.gitignore\n",
      "sub/readme.md": "",
      "sub/other.txt": "",
    });

    const { archive } = await build(dir, { workspace: tmp });

    expect(archive.files.map((f) => f.path)).toEqual(gitFiles(dir));
  });

  it("follows a deeper .gitignore that re-includes the template", async () => {
    const repo = path.join(tmp, "repo");
    execFileSync("git", ["init", "-q", repo]);
    await writeTree(repo, {
      ".gitignore": "templates/*\n*.out\n",
      "templates/.gitignore": "!foo/\n",
    });
    const dir = await writeTree(path.join(repo, "templates", "foo"), {
      "Pulumi.yaml": PROJECT,
      "a.out": "",
      "b.txt": "",
    });

    const { archive } = await build(dir, { workspace: tmp });

    expect(gitFiles(dir)).toEqual(["Pulumi.yaml", "b.txt"]);
    expect(archive.files.map((f) => f.path)).toEqual(gitFiles(dir));
  });
});

describe("buildTemplateArchive: a template in an ignored folder", () => {
  it("skips the outer rules and says so", async () => {
    const repo = path.join(tmp, "repo");
    await writeTree(repo, { ".git/HEAD": "", ".gitignore": "dist/\n*.b\n" });
    const dir = await writeTree(path.join(repo, "dist", "tpl"), {
      "Pulumi.yaml": PROJECT,
      "x.b": "",
    });

    const { archive, logger } = await build(dir, { workspace: repo });

    expect(archive.files.map((f) => f.path)).toEqual(["Pulumi.yaml", "x.b"]);
    expect(logger.lines).toContain(
      `The template folder is itself excluded by "dist/" in ` +
        `${path.join(repo, ".gitignore")}, so the .gitignore files above ` +
        "it are not applied.",
    );
  });
});
