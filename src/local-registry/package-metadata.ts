import { parse as parseSemver } from "semver";
import type {
  PackageMetadata,
  PackageParameterization,
} from "../registry/types.js";
import type { VersionRecord } from "./state.js";
import { dropUndefined, isObject, text } from "./values.js";

/** What a package version's metadata takes from its schema. */
export interface PackageDetails {
  publisherDisplayName?: string;
  title?: string;
  description?: string;
  logoUrl?: string;
  repoUrl?: string;
  category?: string;
  packageTypes?: string[];
  pluginDownloadURL?: string;
  parameterization?: PackageParameterization;
}

/** Download URLs of a version's readme and schema. */
export interface PackageUrls {
  readmeURL: string;
  schemaURL: string;
}

/**
 * Reads the schema as the service does on complete. Returns the details, or
 * a message saying why the schema is refused.
 */
export function readPackageSchema(
  bytes: Buffer,
  name: string,
): PackageDetails | string {
  let schema: unknown;
  try {
    schema = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    return `schema is not valid JSON: ${(error as Error).message}`;
  }
  if (!isObject(schema)) return "schema must be a JSON object";
  if (typeof schema.name !== "string") {
    return `schema has no "name"; expected "${name}"`;
  }
  if (schema.name !== name) {
    return (
      `schema name "${schema.name}" does not match the package name ` +
      `"${name}" in the request path`
    );
  }
  return detailsOf(schema);
}

/** The metadata the get and list endpoints answer for a package version. */
export function packageMetadata(
  record: VersionRecord,
  urls: PackageUrls,
): PackageMetadata {
  const details = record.details as PackageDetails;
  return {
    name: record.name,
    publisher: record.publisher,
    source: record.source,
    version: record.version,
    ...details,
    isFeatured: false,
    packageStatus: isPreview(record.version) ? "public_preview" : "ga",
    ...urls,
    createdAt: record.timestamp,
    visibility: record.source === "private" ? "private" : "public",
  };
}

function detailsOf(schema: Record<string, unknown>): PackageDetails {
  const keywords = stringList(schema.keywords);
  const kinds = keywordValues(keywords, "kind/");
  return dropUndefined({
    publisherDisplayName: text(schema.publisher),
    title: text(schema.displayName),
    description: text(schema.description),
    logoUrl: text(schema.logoUrl),
    repoUrl: text(schema.repository),
    category: keywordValues(keywords, "category/")[0],
    packageTypes: kinds.length > 0 ? kinds : undefined,
    pluginDownloadURL: text(schema.pluginDownloadURL),
    parameterization: parameterizationOf(schema.parameterization),
  });
}

function parameterizationOf(
  value: unknown,
): PackageParameterization | undefined {
  if (!isObject(value) || !isObject(value.baseProvider)) return undefined;
  const { name, version } = value.baseProvider;
  if (typeof name !== "string" || typeof version !== "string") {
    return undefined;
  }
  return {
    baseProvider: { name, version },
    parameter: text(value.parameter) ?? "",
  };
}

function isPreview(version: string): boolean {
  const parsed = parseSemver(version);
  return !parsed || parsed.major === 0 || parsed.prerelease.length > 0;
}

// Pulumi schemas tag packages with keywords such as `category/cloud`.
function keywordValues(keywords: string[], prefix: string): string[] {
  return keywords
    .filter((keyword) => keyword.startsWith(prefix))
    .map((keyword) => keyword.slice(prefix.length));
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string");
}
