/**
 * `command: list`: lists packages or templates with the API's filters,
 * following `continuationToken` to the end or up to `limit` entries.
 */
import {
  createdAt,
  withoutSignatures,
  type EntryMetadata,
} from "../entries.js";
import { InputError, ProtocolError } from "../errors.js";
import { INPUT, type Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import type { RegistryClient } from "../registry/client.js";
import type {
  EntryKind,
  ListPackagesQuery,
  ListTemplatesQuery,
} from "../registry/types.js";
import type { CommandReport } from "../report.js";
import { createClient } from "./client.js";

/** The registry calls list needs. */
export type ListClient = Pick<RegistryClient, "listPackages" | "listTemplates">;

/** The filters of one list, as the API names them. */
export type ListQuery =
  | { kind: "package"; filters: ListPackagesQuery }
  | { kind: "template"; filters: ListTemplatesQuery };

/** The API's largest page. */
const MAX_PAGE = 100;
/** Rows shown in the summary; the output holds them all. */
const SUMMARY_ROWS = 200;

/** Runs the list command and returns its report. */
export async function runList(
  settings: Settings,
  logger: Logger,
): Promise<CommandReport> {
  const query = buildQuery(settings);
  const client = createClient(settings, logger);
  let entries: EntryMetadata[];
  try {
    const found = await logger.group(`List ${settings.kind}s`, () =>
      listEntries(client, query, settings.limit, logger),
    );
    entries = found.map(withoutSignatures);
  } finally {
    await client.close();
  }
  const filters = describeFilters(query);
  const message =
    `Found ${entries.length} ${plural(settings.kind, entries.length)}` +
    `${filters ? ` (${filters})` : ""}` +
    `${settings.limit === entries.length ? `, the limit` : ""}.`;
  logger.info(message);
  return {
    command: "list",
    status: "listed",
    kind: settings.kind,
    source: settings.source,
    publisher: settings.publisher,
    name: settings.name,
    metadata: entries,
    message,
    title: `list ${settings.kind}s`,
    tables: [entriesTable(entries)],
  };
}

/** The API query for the settings; filters the endpoint lacks are errors. */
export function buildQuery(settings: Settings): ListQuery {
  const pageLimit =
    settings.limit === undefined
      ? undefined
      : Math.min(settings.limit, MAX_PAGE);
  if (settings.kind === "package") {
    if (settings.search !== undefined) {
      throw unsupported(INPUT.search, "packages", "name, publisher or org");
    }
    return {
      kind: "package",
      filters: {
        name: settings.name,
        publisher: settings.publisher,
        orgLogin: settings.org,
        visibility: settings.visibility,
        limit: pageLimit,
      },
    };
  }
  if (settings.visibility !== undefined) {
    throw unsupported(INPUT.visibility, "templates", "name, org or search");
  }
  const { org, publisher } = settings;
  if (org !== undefined && publisher !== undefined && org !== publisher) {
    throw new InputError(
      `Inputs "${INPUT.org}" ("${org}") and "${INPUT.publisher}" ` +
        `("${publisher}") differ. A template's publisher is its owning ` +
        "organization, so the templates list filters by one of them: " +
        "give only one.",
      { input: INPUT.org },
    );
  }
  return {
    kind: "template",
    filters: {
      name: settings.name,
      orgLogin: org ?? publisher,
      search: settings.search,
      limit: pageLimit,
    },
  };
}

function unsupported(input: string, what: string, instead: string) {
  return new InputError(
    `Input "${input}" is set, but the registry cannot filter ${what} by ` +
      `it. Remove it, and filter by ${instead}.`,
    { input },
  );
}

/** Every entry, page by page, stopping at `limit` when given. */
export async function listEntries(
  client: ListClient,
  query: ListQuery,
  limit: number | undefined,
  logger: Logger,
): Promise<EntryMetadata[]> {
  const entries: EntryMetadata[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 1; ; page++) {
    const answer = await listPage(client, query, token);
    const count = answer.items.length;
    logger.debug(
      `Page ${page}: ${count} ${count === 1 ? "entry" : "entries"}.`,
    );
    for (const line of answer.diagnostics ?? []) logger.info(line);
    entries.push(...answer.items);
    if (limit !== undefined && entries.length >= limit) {
      return entries.slice(0, limit);
    }
    token = answer.continuationToken || undefined;
    if (token === undefined) return entries;
    if (seen.has(token)) {
      throw new ProtocolError(
        `The registry's ${query.kind} list returned the same ` +
          `continuationToken twice (page ${page}), so it would never end. ` +
          `Set "${INPUT.limit}" to stop early.`,
      );
    }
    seen.add(token);
  }
}

interface Page {
  items: EntryMetadata[];
  continuationToken?: string;
  diagnostics?: string[];
}

async function listPage(
  client: ListClient,
  query: ListQuery,
  continuationToken: string | undefined,
): Promise<Page> {
  if (query.kind === "package") {
    const answer = await client.listPackages({
      ...query.filters,
      continuationToken,
    });
    return { ...answer, items: answer.packages };
  }
  const answer = await client.listTemplates({
    ...query.filters,
    continuationToken,
  });
  return { ...answer, items: answer.templates };
}

function entriesTable(entries: EntryMetadata[]) {
  const rows = entries
    .slice(0, SUMMARY_ROWS)
    .map((entry) => [
      entry.name,
      entry.publisher,
      entry.source,
      entry.version ?? "–",
      entry.visibility,
      createdAt(entry) ?? "–",
    ]);
  if (entries.length > SUMMARY_ROWS) {
    const more = entries.length - SUMMARY_ROWS;
    rows.push([`… ${more} more in the metadata output`, "", "", "", "", ""]);
  }
  const header = ["Name", "Publisher", "Source", "Version", "Visibility"];
  return { header: [...header, "Published"], rows };
}

function describeFilters(query: ListQuery): string {
  return Object.entries(query.filters)
    .filter(([key, value]) => value !== undefined && key !== "limit")
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(", ");
}

function plural(kind: EntryKind, count: number): string {
  return count === 1 ? kind : `${kind}s`;
}
