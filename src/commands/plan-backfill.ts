/**
 * `command: plan-backfill`: the repository's version tags that the registry
 * lacks, oldest first, as a matrix for a following publish job.
 */
import semver from "semver";
import { describeEntry, getVersion, type VersionReader } from "../entries.js";
import { InputError } from "../errors.js";
import { isShallow, listTags, type GitTag } from "../git.js";
import { INPUT, type Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import type { EntryRef } from "../registry/types.js";
import type { CommandReport, MatrixEntry } from "../report.js";
import { isPlaceholder, parseStrictVersion } from "../version.js";
import { createClient } from "./client.js";
import { asInputError } from "./published-at.js";
import { resolveRef } from "./target.js";

/** A version tag that could be published. */
export interface Candidate {
  tag: string;
  version: string;
  /** The tag's date (tagger date, else commit date), ISO 8601. */
  date: string;
}

/** What the tags held before the registry was asked. */
export interface Selection {
  candidates: Candidate[];
  /** Tags below `since`. */
  belowSince: number;
  /** Tags naming a version another tag already names. */
  duplicates: string[];
}

/** A version's place in the plan. */
export type PlanState =
  "publish" | "published" | "later (limit)" | "later (matrix full)";

/** GitHub runs at most 256 jobs per matrix. */
const MAX_MATRIX = 256;
/** Versions checked at once. */
const CONCURRENCY = 8;

/** Runs the plan-backfill command and returns its report. */
export async function runPlanBackfill(
  settings: Settings,
  logger: Logger,
): Promise<CommandReport> {
  const ref = await resolveRef(settings);
  const selection = await logger.group("Read version tags", () =>
    readCandidates(settings, logger),
  );
  if (!settings.token) {
    logger.warning(
      "No credentials were given: private versions cannot be seen, so " +
        "they would be planned as missing. Set the access token.",
    );
  }
  const client = createClient(settings, logger);
  let states: PlanState[];
  try {
    states = await logger.group("Ask the registry", () =>
      checkPublished(client, ref, selection.candidates, settings.limit, logger),
    );
  } finally {
    await client.close();
  }
  states = capToMatrix(states, logger);
  const matrix = selection.candidates
    .filter((_, i) => states[i] === "publish")
    .map(toMatrixEntry);
  const message = describePlan(settings, selection, states, matrix.length);
  logger.info(message);
  return {
    command: "plan-backfill",
    status: "planned",
    kind: ref.kind,
    source: ref.source,
    publisher: ref.publisher,
    name: ref.name,
    matrix,
    message,
    title: `backfill plan for ${ref.name}`,
    tables: [
      {
        header: ["Tag", "Version", "Tag date", "Plan"],
        rows: selection.candidates.map((c, i) => [
          c.tag,
          c.version,
          c.date,
          states[i],
        ]),
      },
    ],
  };
}

async function readCandidates(
  settings: Settings,
  logger: Logger,
): Promise<Selection> {
  const cwd = settings.workingDirectory;
  const { tags, shallow } = await asInputError(
    async () => ({ tags: await listTags(cwd), shallow: await isShallow(cwd) }),
    INPUT.tagPrefix,
  );
  const selection = selectCandidates(tags, settings.tagPrefix, settings.since);
  const undated = selection.candidates.filter((c) => !c.date);
  if (shallow && (selection.candidates.length === 0 || undated.length > 0)) {
    throw new InputError(
      "The clone is shallow, so its tags or their commits are missing " +
        `(${selection.candidates.length} version tags found` +
        `${undated.length ? `, ${undated.length} without a date` : ""}). ` +
        'Set "fetch-depth: 0" on actions/checkout to fetch every tag.',
      { input: INPUT.tagPrefix },
    );
  }
  if (shallow) {
    logger.warning(
      'The clone is shallow; tags it lacks are not planned. Set "fetch-depth: 0" on actions/checkout.',
    );
  }
  for (const tag of selection.duplicates) {
    logger.warning(`Tag "${tag}" names a version an older tag names; skipped.`);
  }
  logger.info(
    `${selection.candidates.length} version tags with the prefix ` +
      `"${settings.tagPrefix}"` +
      `${settings.since ? `, from ${settings.since} on` : ""}.`,
  );
  return selection;
}

/**
 * The tags that start with `prefix` and name a strict version at or above
 * `since`, oldest first (by tag date, then by version). Placeholder
 * versions are left out; of two tags for one version the older is kept.
 */
export function selectCandidates(
  tags: GitTag[],
  prefix: string,
  since?: string,
): Selection {
  const all: Candidate[] = [];
  for (const tag of tags) {
    if (!tag.name.startsWith(prefix)) continue;
    const version = parseStrictVersion(tag.name.slice(prefix.length));
    if (!version || isPlaceholder(version)) continue;
    all.push({ tag: tag.name, version, date: tag.date });
  }
  all.sort(oldestFirst);
  const candidates: Candidate[] = [];
  const duplicates: string[] = [];
  const versions = new Set<string>();
  let belowSince = 0;
  for (const candidate of all) {
    if (since && semver.lt(candidate.version, since)) {
      belowSince++;
    } else if (versions.has(candidate.version)) {
      duplicates.push(candidate.tag);
    } else {
      versions.add(candidate.version);
      candidates.push(candidate);
    }
  }
  return { candidates, belowSince, duplicates };
}

function oldestFirst(a: Candidate, b: Candidate): number {
  const byDate = (Date.parse(a.date) || 0) - (Date.parse(b.date) || 0);
  return byDate || semver.compare(a.version, b.version);
}

/**
 * Asks the registry for each version, in order, a few at a time, until
 * `limit` missing ones are found; the rest are `later (limit)`.
 */
export async function checkPublished(
  client: VersionReader,
  ref: EntryRef,
  candidates: Candidate[],
  limit: number | undefined,
  logger: Logger,
): Promise<PlanState[]> {
  const states: PlanState[] = candidates.map(() => "later (limit)");
  let planned = 0;
  for (let at = 0; at < candidates.length; at += CONCURRENCY) {
    if (limit !== undefined && planned >= limit) break;
    const batch = candidates.slice(at, at + CONCURRENCY);
    const found = await Promise.all(
      batch.map((c) => getVersion(client, ref, c.version)),
    );
    found.forEach((existing, i) => {
      const { version } = batch[i];
      if (existing) {
        states[at + i] = "published";
        logger.info(`${describeEntry(ref, version)} is published.`);
      } else if (limit === undefined || planned < limit) {
        states[at + i] = "publish";
        planned++;
        logger.info(`${describeEntry(ref, version)} is missing.`);
      }
    });
  }
  return states;
}

/**
 * GitHub refuses a matrix of more than 256 jobs, so only the oldest
 * `MAX_MATRIX` missing versions stay planned; a rerun of the plan after
 * the matrix finishes picks up the rest.
 */
export function capToMatrix(states: PlanState[], logger: Logger): PlanState[] {
  let missing = 0;
  const capped = states.map((state): PlanState => {
    if (state !== "publish") return state;
    missing++;
    return missing > MAX_MATRIX ? "later (matrix full)" : state;
  });
  const left = missing - MAX_MATRIX;
  if (left > 0) {
    logger.warning(
      `${missing} versions are missing, but a matrix runs at most ` +
        `${MAX_MATRIX} jobs. The matrix holds the oldest ${MAX_MATRIX}; ` +
        `the remaining ${left} are left for a later run. Run the plan ` +
        "again after the matrix finishes.",
    );
  }
  return capped;
}

function toMatrixEntry(candidate: Candidate): MatrixEntry {
  return {
    tag: candidate.tag,
    version: candidate.version,
    "published-at": candidate.date,
  };
}

function describePlan(
  settings: Settings,
  selection: Selection,
  states: PlanState[],
  planned: number,
): string {
  const count = (state: PlanState) => states.filter((s) => s === state).length;
  const notes = [
    `${count("published")} already published`,
    `${planned} to publish`,
  ];
  if (count("later (limit)") > 0) {
    notes.push(
      `${count("later (limit)")} left for a later run (limit ${settings.limit})`,
    );
  }
  if (count("later (matrix full)") > 0) {
    notes.push(
      `${count("later (matrix full)")} left for a later run ` +
        `(a matrix holds ${MAX_MATRIX} jobs)`,
    );
  }
  if (selection.belowSince > 0) {
    notes.push(`${selection.belowSince} below ${settings.since} skipped`);
  }
  return `${selection.candidates.length} version tags: ${notes.join(", ")}.`;
}
