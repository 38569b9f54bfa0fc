/**
 * What a run leaves behind for people and later steps: step outputs, the
 * job summary, annotations and the log itself.
 */
import * as core from "@actions/core";
import path from "node:path";
import type { Artifact } from "./artifacts/files.js";
import { ActionError, InputError, RegistryError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { Command } from "./inputs.js";
import { redactUrlsIn } from "./registry/redact.js";
import type { EntryKind, EntryRef } from "./registry/types.js";

/** Output names: a contract with users, defined once. */
export const OUTPUT = {
  status: "status",
  published: "published",
  version: "version",
  name: "name",
  publisher: "publisher",
  source: "source",
  kind: "kind",
  operationId: "operation-id",
  publishedAt: "published-at",
  url: "url",
  artifacts: "artifacts",
  metadata: "metadata",
  matrix: "matrix",
} as const;

/** One timed phase of the run. */
export interface Timing {
  phase: string;
  ms: number;
}

/** Everything a finished run reports; outputs and summary derive from it. */
export interface RunReport {
  status: "published" | "skipped" | "dry-run";
  ref: EntryRef;
  version: string;
  /** Where the version came from, e.g. `tag "v1.2.3"`. */
  versionOrigin: string;
  operationId?: string;
  publishedAt?: string;
  url: string;
  artifacts: Artifact[];
  /** One sentence: what happened. */
  message: string;
  timings: Timing[];
  /** A template archive's file list, shown for dry runs. */
  files?: string[];
}

/** One job of a backfill matrix: a tag to check out and publish. */
export interface MatrixEntry {
  tag: string;
  version: string;
  "published-at": string;
}

/** A summary table: a header row and plain-text rows (escaped on output). */
export interface SummaryTable {
  header: string[];
  rows: string[][];
}

/** What unpublish, show, list and plan-backfill report. */
export interface CommandReport {
  command: Exclude<Command, "publish">;
  status: "unpublished" | "absent" | "dry-run" | "shown" | "listed" | "planned";
  kind: EntryKind;
  source: string;
  publisher?: string;
  name?: string;
  /** The resolved version (show: what `latest` stood for). */
  version?: string;
  publishedAt?: string;
  url?: string;
  /** The `metadata` output: one entry (show) or a list of them (list). */
  metadata?: unknown;
  /** The `matrix` output (plan-backfill). */
  matrix?: MatrixEntry[];
  /** One sentence: what happened. */
  message: string;
  /** The summary's heading after "Pulumi registry: ". */
  title: string;
  tables: SummaryTable[];
}

/** The report of any command. */
export type Report = RunReport | CommandReport;

/** A logger that writes to the runner's log. */
export const actionLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  group: (name, fn) => groupOnce(name, fn),
};

let groupDepth = 0;

/**
 * The runner's log has no nested groups: an inner `::group::` would close
 * the outer one early. Inside a group, a sub-group is a heading line.
 */
async function groupOnce<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (groupDepth > 0) {
    core.info(`── ${name}`);
    return fn();
  }
  groupDepth++;
  try {
    return await core.group(name, fn);
  } finally {
    groupDepth--;
  }
}

/** Sets every step output from the report. */
export function writeOutputs(report: Report): void {
  if ("command" in report) return writeCommandOutputs(report);
  const outputs: Record<string, string> = {
    [OUTPUT.status]: report.status,
    [OUTPUT.published]: String(report.status === "published"),
    [OUTPUT.version]: report.version,
    [OUTPUT.name]: report.ref.name,
    [OUTPUT.publisher]: report.ref.publisher,
    [OUTPUT.source]: report.ref.source,
    [OUTPUT.kind]: report.ref.kind,
    [OUTPUT.operationId]: report.operationId ?? "",
    [OUTPUT.publishedAt]: report.publishedAt ?? "",
    [OUTPUT.url]: report.url,
    [OUTPUT.artifacts]: JSON.stringify(
      report.artifacts.map(({ name, bytes, sha256 }) => ({
        name,
        bytes,
        sha256,
      })),
    ),
  };
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value);
  }
}

const RESULT_ICON = { published: "✅", skipped: "⏭️", "dry-run": "🧪" };

/** Writes the job summary: a small table a person can read at a glance. */
export async function writeSummary(report: Report): Promise<void> {
  if ("command" in report) return writeCommandSummary(report);
  const { ref } = report;
  const summary = core.summary
    .addHeading(escapeHtml(`Pulumi registry: ${ref.name}@${report.version}`), 3)
    .addRaw(`${RESULT_ICON[report.status]} ${escapeHtml(report.message)}`, true)
    .addTable([
      [
        { data: "Field", header: true },
        { data: "Value", header: true },
      ],
      [ref.kind === "package" ? "Package" : "Template", code(ref.name)],
      [
        "Version",
        `${code(report.version)} (from ${escapeHtml(report.versionOrigin)})`,
      ],
      ["Source / publisher", code(`${ref.source}/${ref.publisher}`)],
      ["Result", report.status],
      ["Published at", report.publishedAt ?? "–"],
      ["Operation", report.operationId ? code(report.operationId) : "–"],
      ["Timings", report.timings.map(formatTiming).join(", ")],
    ])
    .addTable([
      [
        { data: "Artifact", header: true },
        { data: "Bytes", header: true },
        { data: "sha256", header: true },
      ],
      ...report.artifacts.map((a) => [
        a.name,
        a.bytes.toLocaleString("en-US"),
        code(a.sha256),
      ]),
    ]);
  if (report.files) {
    summary.addDetails(
      `Archive contents (${report.files.length} files)`,
      `<pre>${report.files.map(escapeHtml).join("\n")}</pre>`,
    );
  }
  await summary.write();
}

function writeCommandOutputs(report: CommandReport): void {
  const json = (value: unknown) =>
    value === undefined ? "" : JSON.stringify(value);
  const outputs: Record<string, string> = {
    [OUTPUT.status]: report.status,
    [OUTPUT.published]: "false",
    [OUTPUT.version]: report.version ?? "",
    [OUTPUT.name]: report.name ?? "",
    [OUTPUT.publisher]: report.publisher ?? "",
    [OUTPUT.source]: report.source,
    [OUTPUT.kind]: report.kind,
    [OUTPUT.operationId]: "",
    [OUTPUT.publishedAt]: report.publishedAt ?? "",
    [OUTPUT.url]: report.url ?? "",
    [OUTPUT.artifacts]: "[]",
    [OUTPUT.metadata]: json(report.metadata),
    [OUTPUT.matrix]: json(report.matrix),
  };
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value);
  }
}

const COMMAND_ICON: Record<CommandReport["status"], string> = {
  unpublished: "🗑️",
  absent: "➖",
  "dry-run": "🧪",
  shown: "🔎",
  listed: "📋",
  planned: "🗓️",
};

async function writeCommandSummary(report: CommandReport): Promise<void> {
  const summary = core.summary
    .addHeading(`Pulumi registry: ${escapeHtml(report.title)}`, 3)
    .addRaw(`${COMMAND_ICON[report.status]} ${escapeHtml(report.message)}`)
    .addEOL();
  for (const table of report.tables) {
    if (table.rows.length === 0) continue;
    summary.addTable([
      table.header.map((data) => ({ data: escapeHtml(data), header: true })),
      ...table.rows.map((row) => row.map(escapeHtml)),
    ]);
  }
  await summary.write();
}

/**
 * Ends the step as failed with one clear annotation; input errors point at
 * the file and line when there is one.
 */
export function reportFailure(error: unknown, workspace: string): void {
  if (error instanceof InputError) {
    const { file, line, column, input } = error.location;
    core.error(redactUrlsIn(error.message), {
      title: input ? `Input "${input}"` : "Invalid input",
      file: file ? annotationPath(file, workspace) : undefined,
      startLine: line,
      startColumn: column,
    });
  } else if (error instanceof RegistryError) {
    core.error(redactUrlsIn(error.message), {
      title: "Registry request failed",
    });
  } else if (error instanceof ActionError) {
    core.error(redactUrlsIn(error.message), { title: titleOf(error) });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    core.error(`Unexpected error: ${redactUrlsIn(message)}`);
    if (error instanceof Error && error.stack) {
      core.debug(redactUrlsIn(error.stack));
    }
  }
  process.exitCode = 1;
}

function titleOf(error: ActionError): string {
  if (error.code === "conflict") return "Version already exists";
  if (error.code === "protocol") return "Unexpected registry answer";
  if (error.code === "auth") return "Authentication failed";
  if (error.code === "provider") return "Schema from provider failed";
  if (error.code === "unknown-outcome") return "Publish outcome unknown";
  return "Publish failed";
}

/** Annotations link to files by their path from the repository root. */
function annotationPath(file: string, workspace: string): string {
  const relative = path.relative(workspace, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return file;
  return relative.split(path.sep).join("/");
}

function formatTiming(timing: Timing): string {
  return `${timing.phase} ${(timing.ms / 1000).toFixed(2)} s`;
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
