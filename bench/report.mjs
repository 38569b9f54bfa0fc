// Renders bench/results.md from what bench/run.mjs measured.
import { median } from "./measure.mjs";

const ms = (value) => `${Math.round(value)} ms`;
const mb = (value) => `${value.toFixed(1)} MB`;
const ratio = (value) => `${value.toFixed(2)}x`;
const yes = (met) => (met ? "met" : "**not met**");

/** The medians of one side's runs. */
function summarise(runs) {
  return {
    ms: median(runs.map((r) => r.ms)),
    rssMb: median(runs.map((r) => r.rssMb)),
  };
}

/** The markdown of the results. */
export function renderResults(results) {
  const packages = results.packages.map((p) => ({
    ...p,
    a: summarise(p.action),
    c: summarise(p.curl),
    checks: summarise(p.checks),
  }));
  const small = packages.find((p) => p.mb === 1);
  const large = packages.find((p) => p.mb === 200);
  const t = results.template;
  const archive = summarise(t.dryRuns).ms;
  const tar = summarise(t.tarRuns).ms;
  const s = results.startup;

  const targets = [
    [
      "Peak RSS, 200 MB schema ≤ 150 MB",
      mb(large.a.rssMb),
      large.a.rssMb <= 150,
    ],
    [
      "Peak RSS, 200 MB within 20% of 1 MB",
      `${mb(large.a.rssMb)} vs ${mb(small.a.rssMb)} ` +
        `(${pct(large.a.rssMb / small.a.rssMb - 1)})`,
      large.a.rssMb <= small.a.rssMb * 1.2,
    ],
    [
      "Wall time, 200 MB ≤ 1.0x curl",
      `${ms(large.a.ms)} vs ${ms(large.c.ms)} (${ratio(large.a.ms / large.c.ms)})`,
      large.a.ms <= large.c.ms,
    ],
    [
      "Wall time, 1 MB ≤ curl + 150 ms",
      `${ms(small.a.ms)} vs ${ms(small.c.ms)} ` +
        `(+${ms(small.a.ms - small.c.ms)})`,
      small.a.ms <= small.c.ms + 150,
    ],
    [
      "Start-up to first log line ≤ 2x `node -e ''`",
      `${ms(s.first)} vs ${ms(s.bare)} (${ratio(s.first / s.bare)})`,
      s.first <= 2 * s.bare,
    ],
    [
      "Template archive ≤ 1.5x GNU `tar -czf`",
      `${ms(archive)} vs ${ms(tar)} (${ratio(archive / tar)})`,
      archive <= 1.5 * tar,
    ],
    [
      "Template archive byte-identical across runs",
      String(t.identical),
      t.identical,
    ],
  ];

  return [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (bench/run.mjs); do not edit by hand.",
    "",
    `- Machine: ${results.machine.cpu}, ${results.machine.cores} cores ` +
      `(from /proc/cpuinfo); Node ${results.machine.node}`,
    `- Load average (1 min) at start and end: ` +
      `${results.load.map((l) => l.toFixed(2)).join(" and ")}`,
    `- Bundle: commit ${results.bundle.commit}, ` +
      results.bundle.chunks
        .map((c) => `${c.name} ${(c.bytes / 1024).toFixed(0)} KiB`)
        .join(", "),
    `- Whole run: ${results.minutes.toFixed(1)} minutes`,
    "",
    "Every figure is a median. Action and baseline runs alternate against a",
    "fresh local registry per case; both sides include the registry's own",
    "work, such as parsing the schema on complete.",
    "",
    "## Targets",
    "",
    "| Target | Measured | |",
    "| --- | --- | --- |",
    ...targets.map(
      ([name, value, met]) => `| ${name} | ${value} | ${yes(met)} |`,
    ),
    "",
    "## Package publish: action against curl",
    "",
    "The baseline is `bench/curl-publish.sh`: start, three PUTs one after",
    "another with `--upload-file`, complete. The action also checks the",
    "schema, hashes every file and reads the version back. The last column",
    "is the action's dry run with no credentials: start-up, checks and",
    "digests, no request.",
    "",
    "| Schema | Runs | Action | curl | Action / curl | Action peak RSS | curl peak RSS | Checks only (dry run) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...packages.map(
      (p) =>
        `| ${(p.bytes / 1e6).toFixed(0)} MB | ${p.runs} | ${ms(p.a.ms)} | ` +
        `${ms(p.c.ms)} | ${ratio(p.a.ms / p.c.ms)} | ${mb(p.a.rssMb)} | ` +
        `${mb(p.c.rssMb)} | ${ms(p.checks.ms)} (${mb(p.checks.rssMb)}) |`,
    ),
    "",
    "## Template",
    "",
    `${t.files} files, ${(t.bytes / 1e6).toFixed(1)} MB; the action's ` +
      `archive is ${(t.archiveBytes / 1e6).toFixed(1)} MB, GNU tar's ` +
      `${(t.tarBytes / 1e6).toFixed(1)} MB (both gzip level 6).`,
    "",
    "| | Runs | Action | Baseline | Action / baseline |",
    "| --- | --- | --- | --- | --- |",
    `| Publish (baseline: \`tar -czf\` then curl) | ${t.action.length} | ` +
      `${ms(summarise(t.action).ms)} | ${ms(summarise(t.curl).ms)} | ` +
      `${ratio(summarise(t.action).ms / summarise(t.curl).ms)} |`,
    `| Archive (action: dry run, start-up included) | ${t.dryRuns.length} | ` +
      `${ms(archive)} | ${ms(tar)} | ${ratio(archive / tar)} |`,
    "",
    `Byte-identical across runs: the action ${t.identical ? "yes" : "no"}, ` +
      `GNU tar ${t.tarIdentical ? "yes" : "no"}.`,
    "",
    "## Start-up",
    "",
    `Median of the runs: \`node -e ''\` exits after ${ms(s.bare)}; the ` +
      `action prints its first log line after ${ms(s.first)} ` +
      `(${ratio(s.first / s.bare)}) and, for a dry run of a tiny schema, ` +
      `exits after ${ms(s.exit)}.`,
    "",
    "Before the template archiver, git helpers, CLI installer and undici",
    "(loaded now at the first request) moved to chunks of their own, the",
    "bundle was one 3.0 MB file and its first log line came after 184 ms",
    "against 62 ms for `node -e ''` (3.0x; measured by hand on this",
    "machine, lightly loaded). What remains before the first line is mostly",
    "@actions/core, whose OIDC client brings @actions/http-client and a",
    "second undici (v6) on every run.",
    "",
    "Of the curl baseline for 200 MB, about 1.2 s is the local registry's",
    "complete call, which reads the whole schema with JSON.parse; the",
    "action waits for the same call, so it weighs on both sides alike.",
    "",
    "## What limits the targets not met",
    "",
    ...LIMITS.filter((_, i) => !targets[LIMIT_TARGET[i]][2]).flatMap((l) => [
      l,
      "",
    ]),
    "Targets all met: nothing to explain.".repeat(
      targets.every(([, , met]) => met) ? 1 : 0,
    ),
  ].join("\n");
}

function pct(value) {
  return `${value >= 0 ? "+" : ""}${(value * 100).toFixed(0)}%`;
}

// Which target each note explains, by index in the targets table.
const LIMIT_TARGET = [2, 3, 4, 5];
const LIMITS = [
  "**200 MB wall time.** The action checks the whole schema before the " +
    "first request (one streaming pass, @streamparser/json, about " +
    "130-160 MB/s on this machine; stream-json measured 63-100 MB/s), " +
    "then uploads. The curl baseline checks nothing, and on loopback it " +
    "uploads 200 MB in about half a second, so the check pass adds about " +
    "1.5 s that no upload overlaps. Parallel uploads save only the two " +
    "small pages. What would close it: start the publish once the " +
    "top-level fields are known and upload while the pass runs, completing " +
    "only if it passes (the check would then no longer precede the first " +
    "request, a design change); even so, on loopback the parser, not the " +
    "wire, sets the pace. Against a real storage service at 50-100 MB/s the " +
    "upload takes 2-4 s, which such an overlap would hide the check behind.",
  "**1 MB wall time.** The curl baseline is five short curl processes. " +
    "The action is a Node.js process: start-up (below), a first pass over " +
    "the schema with the tokenizer not yet optimised by the JIT, a probe " +
    "of the route family, and a read-back of the version after complete. " +
    "In the last run, start-up took about 35 ms more than a bare " +
    "Node.js and the checks about 30 ms (dry run 160 ms against 130 ms " +
    "for a tiny schema); the remaining 135 ms or so is loading undici " +
    "and the publish's requests (route probe, start, uploads, complete, " +
    "read-back) against curl's five. What would close it: a lighter " +
    "HTTP stack than undici for the few calls a publish makes; the " +
    "read-back stays, as a publish is reported only once it can be read.",
  "**Start-up.** The first log line needs @actions/core, which imports its " +
    "OIDC client and with it @actions/http-client and a second copy of " +
    "undici (v6) on every run, and the registry client's undici (v7) is " +
    "loaded before the first line too. The template archiver, git helpers " +
    "and CLI installer are separate chunks now. Closing the rest needs the " +
    "registry client's dispatcher to be imported when the first request is " +
    "made, and the OIDC client of @actions/core to be loaded only when " +
    "`getIDToken` is called (an upstream change).",
  "**Template archive.** A CPU profile of the action's dry run showed " +
    "the main thread idle two thirds of the time: it waited on the thread " +
    "pool for each small file's open, read and close, one after another, " +
    "and on gzip fed in 16 KiB pieces. Small files are now read 32 " +
    "entries ahead, gzip gets 256 KiB pieces, and the level is gzip's " +
    "default 6 (level 9 cost 0.3 s more for a 0.6% smaller archive): " +
    "about 3.1 s became about 2.1 s against GNU tar's 1.2 s on a quiet " +
    "machine. What remains: listing the files with their ignore rules " +
    "(about 0.35 s) before packing starts, and compression, which GNU tar " +
    "runs in a second process at full speed. What would close it: list " +
    "and pack at once, and compress in a worker thread.",
];
