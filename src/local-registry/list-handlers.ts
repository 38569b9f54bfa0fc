import { compare as compareSemver } from "semver";
import type { IncomingCall, RegistryContext } from "./context.js";
import { PACKAGES, TEMPLATES, type KindSpec } from "./kinds.js";
import type { TemplateDetails } from "./template-metadata.js";
import { apiError, jsonReply, type Reply } from "./reply.js";
import type { VersionRecord } from "./state.js";
import { visibleTo } from "./version-handlers.js";

type Comparator = (a: VersionRecord, b: VersionRecord) => number;

const PACKAGE_SORTS: Record<string, Comparator> = {
  name: (a, b) => a.name.localeCompare(b.name),
  publisher: (a, b) => a.publisher.localeCompare(b.publisher),
  createdAt: (a, b) => a.timestamp.localeCompare(b.timestamp),
  version: (a, b) => compareSemver(a.version, b.version),
};

/** GET /packages: the latest version of each package the caller can see. */
export function listPackages(call: IncomingCall, ctx: RegistryContext): Reply {
  const query = call.query;
  const visibility = query.get("visibility");
  if (visibility !== null && !["public", "private"].includes(visibility)) {
    return apiError(400, `visibility must be public or private`);
  }
  const sortName = query.get("sort") ?? "name";
  const sort = Object.hasOwn(PACKAGE_SORTS, sortName)
    ? PACKAGE_SORTS[sortName]
    : undefined;
  if (!sort) {
    const known = Object.keys(PACKAGE_SORTS).join(", ");
    return apiError(400, `sort must be one of ${known}, got "${sortName}"`);
  }
  const asc = query.get("asc");
  if (asc !== null && asc !== "true" && asc !== "false") {
    return apiError(400, `asc must be true or false, got "${asc}"`);
  }
  const descending = asc === "false" || (asc === null && query.has("sort"));

  const records = visibleLatest(PACKAGES, call, ctx)
    .filter((r) => matches(query.get("name"), r.name))
    .filter((r) => matches(query.get("publisher"), r.publisher))
    .filter((r) => matches(query.get("orgLogin"), r.publisher))
    .filter((r) => !visibility || visibilityOf(r) === visibility)
    .sort((a, b) => (descending ? -sort(a, b) : sort(a, b)) || byName(a, b));
  return page(PACKAGES, "packages", records, call, ctx);
}

/** GET /templates: the latest version of each template, with search. */
export function listTemplates(call: IncomingCall, ctx: RegistryContext): Reply {
  const query = call.query;
  const terms = (query.get("search") ?? "")
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  const records = visibleLatest(TEMPLATES, call, ctx)
    .filter((r) => matches(query.get("name"), r.name))
    .filter((r) => matches(query.get("orgLogin"), r.publisher))
    .filter((r) => terms.every((term) => searchText(r).includes(term)))
    .sort(byName);
  return page(TEMPLATES, "templates", records, call, ctx);
}

function page(
  spec: KindSpec,
  field: string,
  records: VersionRecord[],
  call: IncomingCall,
  ctx: RegistryContext,
): Reply {
  const size = pageSizeOf(call.query.get("limit"), ctx.pageSize);
  if (size === undefined) {
    return apiError(400, "limit must be a positive integer");
  }
  const token = call.query.get("continuationToken");
  const offset = token === null ? 0 : decodeToken(token);
  if (offset === undefined) return apiError(400, "bad continuationToken");

  const items = records.slice(offset, offset + size);
  const answer: Record<string, unknown> = {
    [field]: items.map((record) => spec.describe(record, ctx)),
  };
  if (offset + size < records.length) {
    answer.continuationToken = encodeToken(offset + size);
  }
  return jsonReply(200, answer);
}

function visibleLatest(
  spec: KindSpec,
  call: IncomingCall,
  ctx: RegistryContext,
): VersionRecord[] {
  return ctx.state
    .latestOfEach(spec.kind)
    .filter((record) => visibleTo(spec, record, call, ctx));
}

function pageSizeOf(limit: string | null, max: number): number | undefined {
  if (limit === null) return max;
  if (!/^\d+$/.test(limit) || Number(limit) < 1) return undefined;
  return Math.min(Number(limit), max);
}

/** An opaque page token; it only carries the offset of the next page. */
function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

function decodeToken(token: string): number | undefined {
  try {
    const value: unknown = JSON.parse(
      Buffer.from(token, "base64url").toString("utf8"),
    );
    const offset = (value as { offset?: unknown } | null)?.offset;
    return Number.isInteger(offset) && (offset as number) >= 0
      ? (offset as number)
      : undefined;
  } catch {
    return undefined;
  }
}

function matches(filter: string | null, value: string): boolean {
  return filter === null || filter === value;
}

function visibilityOf(record: VersionRecord): string {
  return PACKAGES.isPrivate(record) ? "private" : "public";
}

function byName(a: VersionRecord, b: VersionRecord): number {
  return (
    a.name.localeCompare(b.name) ||
    a.publisher.localeCompare(b.publisher) ||
    a.source.localeCompare(b.source)
  );
}

function searchText(record: VersionRecord): string {
  const details = record.details as TemplateDetails;
  return [
    record.name,
    details.displayName,
    details.description ?? "",
    ...Object.values(details.metadata ?? {}),
    details.language,
    details.runtime?.name ?? "",
  ]
    .join("\n")
    .toLowerCase();
}
