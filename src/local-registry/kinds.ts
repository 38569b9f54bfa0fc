import type { PackageMetadata, TemplateMetadata } from "../registry/types.js";
import type { RegistryContext } from "./context.js";
import { packageMetadata, readPackageSchema } from "./package-metadata.js";
import { apiError, type Reply } from "./reply.js";
import type { PackageDetails } from "./package-metadata.js";
import type { Operation, VersionRecord } from "./state.js";
import {
  readTemplate,
  templateMetadata,
  type TemplateDetails,
} from "./template-metadata.js";
import type { EntryKind } from "./types.js";

/** What complete keeps from an accepted upload. */
export interface AcceptedUpload {
  details: PackageDetails | TemplateDetails;
  /** Bytes to store, by artifact name. */
  artifacts: Record<string, Buffer>;
}

/** How packages and templates differ; the handlers are shared. */
export interface KindSpec {
  kind: EntryKind;
  /** Artifacts the start call hands out upload URLs for. */
  uploads: readonly string[];
  /** Uploads complete insists on. */
  required: readonly string[];
  /** A refusal when `source` is unknown (or, on publish, not publishable). */
  checkSource(source: string, publishing: boolean): Reply | undefined;
  /** Validates the uploads; a string is the reason for a 400. */
  accept(operation: Operation): Promise<AcceptedUpload | string>;
  isPrivate(record: VersionRecord): boolean;
  describe(
    record: VersionRecord,
    ctx: RegistryContext,
  ): PackageMetadata | TemplateMetadata;
}

// Long enough for any client, as the API promises at least five minutes.
const DOWNLOAD_TTL_SECONDS = 3600;

/** A signed GET URL for a stored artifact of `record`. */
export function downloadUrl(
  record: VersionRecord,
  artifact: string,
  ctx: RegistryContext,
): string {
  const path = `/objects/${record.artifacts[artifact]}`;
  return ctx.signer.signUrl("GET", path, DOWNLOAD_TTL_SECONDS);
}

function unknownSource(source: string): Reply {
  return apiError(404, `source "${source}" does not exist`);
}

/** Packages: schema, index and installation configuration. */
export const PACKAGES: KindSpec = {
  kind: "package",
  uploads: ["schema", "index", "installationConfiguration"],
  required: ["schema", "index"],
  checkSource(source) {
    const known = ["pulumi", "opentofu", "private"];
    return known.includes(source) ? undefined : unknownSource(source);
  },
  async accept(operation) {
    const schema = operation.uploads.get("schema") ?? Buffer.alloc(0);
    const details = readPackageSchema(schema, operation.name);
    if (typeof details === "string") return details;
    const artifacts = {
      schema,
      index: operation.uploads.get("index") ?? Buffer.alloc(0),
      installationConfiguration:
        operation.uploads.get("installationConfiguration") ?? Buffer.alloc(0),
    };
    return { details, artifacts };
  },
  isPrivate: (record) => record.source === "private",
  describe(record, ctx) {
    return packageMetadata(record, {
      readmeURL: downloadUrl(record, "index", ctx),
      schemaURL: downloadUrl(record, "schema", ctx),
    });
  },
};

/** Templates: one `.tar.gz` archive, published to `private` only. */
export const TEMPLATES: KindSpec = {
  kind: "template",
  uploads: ["archive"],
  required: ["archive"],
  checkSource(source, publishing) {
    if (source === "private") return undefined;
    if (source !== "github" && source !== "gitlab") {
      return unknownSource(source);
    }
    return publishing
      ? apiError(400, `templates can only be published to source "private"`)
      : undefined;
  },
  async accept(operation) {
    const archive = operation.uploads.get("archive") ?? Buffer.alloc(0);
    const accepted = await readTemplate(archive, operation.name);
    if (typeof accepted === "string") return accepted;
    const artifacts: Record<string, Buffer> = { archive };
    if (accepted.readme) artifacts.readme = accepted.readme;
    return { details: accepted.details, artifacts };
  },
  isPrivate: () => true,
  describe(record, ctx) {
    return templateMetadata(record, {
      downloadURL: downloadUrl(record, "archive", ctx),
      readmeURL: record.artifacts.readme
        ? downloadUrl(record, "readme", ctx)
        : undefined,
    });
  },
};
