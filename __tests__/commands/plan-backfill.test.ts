import { describe, expect, it, vi } from "vitest";
import {
  capToMatrix,
  checkPublished,
  selectCandidates,
  type Candidate,
  type PlanState,
} from "../../src/commands/plan-backfill.js";
import type { GitTag } from "../../src/git.js";
import { MemoryLogger } from "../../src/logger.js";
import type { EntryRef, PackageMetadata } from "../../src/registry/types.js";

const tag = (name: string, date: string): GitTag => ({
  name,
  date,
  commit: "0".repeat(40),
  annotated: false,
});

describe("selectCandidates", () => {
  it("keeps tags with the prefix that name strict versions", () => {
    const { candidates } = selectCandidates(
      [
        tag("pkg/v1.0.0", "2020-01-01T00:00:00Z"),
        tag("pkg/2.0.0", "2020-02-01T00:00:00Z"),
        tag("v3.0.0", "2020-03-01T00:00:00Z"),
        tag("pkg/v1.1", "2020-04-01T00:00:00Z"),
        tag("pkg/latest", "2020-05-01T00:00:00Z"),
        tag("pkg/v0.0.0", "2020-06-01T00:00:00Z"),
      ],
      "pkg/",
    );
    expect(candidates).toEqual([
      { tag: "pkg/v1.0.0", version: "1.0.0", date: "2020-01-01T00:00:00Z" },
      { tag: "pkg/2.0.0", version: "2.0.0", date: "2020-02-01T00:00:00Z" },
    ]);
  });

  it("orders by tag date across time zones, then by version", () => {
    const { candidates } = selectCandidates(
      [
        tag("v1.2.0", "2021-05-01T11:30:00+02:00"),
        tag("v1.1.1", "2021-05-01T11:00:00Z"),
        tag("v1.0.0", "2021-05-01T10:00:00Z"),
        tag("v1.0.1", "2021-05-01T10:00:00Z"),
      ],
      "",
    );
    // 11:30+02:00 is 09:30Z, the oldest; 1.0.0 and 1.0.1 tie on date.
    expect(candidates.map((c) => c.version)).toEqual([
      "1.2.0",
      "1.0.0",
      "1.0.1",
      "1.1.1",
    ]);
  });

  it("skips versions below since and counts them", () => {
    const selection = selectCandidates(
      [
        tag("v0.9.0", "2020-01-01T00:00:00Z"),
        tag("v1.0.0-rc.1", "2020-02-01T00:00:00Z"),
        tag("v1.0.0", "2020-03-01T00:00:00Z"),
      ],
      "",
      "1.0.0",
    );
    expect(selection.candidates.map((c) => c.version)).toEqual(["1.0.0"]);
    expect(selection.belowSince).toBe(2);
  });

  it("keeps the older of two tags for one version", () => {
    const selection = selectCandidates(
      [
        tag("1.0.0", "2020-02-01T00:00:00Z"),
        tag("v1.0.0", "2020-01-01T00:00:00Z"),
      ],
      "",
    );
    expect(selection.candidates.map((c) => c.tag)).toEqual(["v1.0.0"]);
    expect(selection.duplicates).toEqual(["1.0.0"]);
  });
});

describe("checkPublished", () => {
  const ref: EntryRef = {
    kind: "package",
    source: "private",
    publisher: "acme",
    name: "pkg",
  };
  const candidates: Candidate[] = Array.from({ length: 12 }, (_, i) => ({
    tag: `v1.${i}.0`,
    version: `1.${i}.0`,
    date: `2020-01-${String(i + 1).padStart(2, "0")}T00:00:00Z`,
  }));
  const published = new Set(["1.0.0", "1.3.0", "1.9.0"]);
  function client() {
    const get = vi.fn(async (_ref: EntryRef, version: string) =>
      published.has(version) ? ({ version } as PackageMetadata) : undefined,
    );
    return { getPackageVersion: get, getTemplateVersion: vi.fn() };
  }

  it("marks each version published or to publish", async () => {
    const states = await checkPublished(
      client(),
      ref,
      candidates,
      undefined,
      new MemoryLogger(),
    );
    expect(states.filter((s) => s === "publish")).toHaveLength(9);
    expect(states[3]).toBe("published");
  });

  it("stops asking once limit missing versions are found", async () => {
    const stub = client();
    const states = await checkPublished(
      stub,
      ref,
      candidates,
      2,
      new MemoryLogger(),
    );
    expect(states.slice(0, 4)).toEqual([
      "published",
      "publish",
      "publish",
      "published",
    ]);
    expect(states.slice(4)).toEqual(Array(8).fill("later (limit)"));
    expect(stub.getPackageVersion).toHaveBeenCalledTimes(8);
  });
});

describe("capToMatrix", () => {
  it("keeps the oldest 256 missing versions and leaves the rest", () => {
    // 300 versions, oldest first; every tenth one is published already.
    const states: PlanState[] = Array.from({ length: 300 }, (_, i) =>
      i % 10 === 0 ? "published" : "publish",
    );
    const logger = new MemoryLogger();
    const capped = capToMatrix(states, logger);

    expect(capped.filter((s) => s === "publish")).toHaveLength(256);
    expect(capped.filter((s) => s === "published")).toHaveLength(30);
    const lastPlanned = capped.lastIndexOf("publish");
    const firstLeft = capped.indexOf("later (matrix full)");
    expect(lastPlanned).toBeLessThan(firstLeft);
    expect(capped.slice(firstLeft).filter((s) => s === "publish")).toEqual([]);
    expect(logger.lines).toEqual([
      "warning: 270 versions are missing, but a matrix runs at most 256 " +
        "jobs. The matrix holds the oldest 256; the remaining 14 are left " +
        "for a later run. Run the plan again after the matrix finishes.",
    ]);
  });

  it("changes nothing and warns of nothing at 256 or fewer", () => {
    const states: PlanState[] = Array(256).fill("publish");
    const logger = new MemoryLogger();
    expect(capToMatrix(states, logger)).toEqual(states);
    expect(logger.lines).toEqual([]);
  });
});
