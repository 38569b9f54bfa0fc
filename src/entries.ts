/** Small facts about registry entries shared by the commands. */
import { redactUrl } from "./registry/redact.js";
import type { RegistryClient } from "./registry/client.js";
import type {
  EntryRef,
  PackageMetadata,
  TemplateMetadata,
} from "./registry/types.js";

export type EntryMetadata = PackageMetadata | TemplateMetadata;

/** The calls that read one version back. */
export type VersionReader = Pick<
  RegistryClient,
  "getPackageVersion" | "getTemplateVersion"
>;

/** Reads a version back; undefined when the registry does not have it. */
export function getVersion(
  client: VersionReader,
  ref: EntryRef,
  version: string,
): Promise<EntryMetadata | undefined> {
  return ref.kind === "package"
    ? client.getPackageVersion(ref, version)
    : client.getTemplateVersion(ref, version);
}

/** The registry's creation time of a version, whichever kind it is. */
export function createdAt(metadata: EntryMetadata): string | undefined {
  return "createdAt" in metadata ? metadata.createdAt : metadata.updatedAt;
}

/** `<kind> <source>/<publisher>/<name>@<version>`, for messages. */
export function describeEntry(ref: EntryRef, version: string): string {
  return `${ref.kind} ${ref.source}/${ref.publisher}/${ref.name}@${version}`;
}

/** The registry URL users see: `registry://<kind>s/<source>/<publisher>/<name>@<version>`. */
export function registryUrl(ref: EntryRef, version: string): string {
  return `registry://${ref.kind}s/${ref.source}/${ref.publisher}/${ref.name}@${version}`;
}

/** The metadata fields that hold pre-signed download URLs. */
const SIGNED_FIELDS = ["readmeURL", "schemaURL", "downloadURL"] as const;

/** `metadata` with each pre-signed URL cut to origin and path. */
export function withoutSignatures<T extends EntryMetadata>(metadata: T): T {
  const copy: Record<string, unknown> = { ...metadata };
  for (const field of SIGNED_FIELDS) {
    const url = copy[field];
    if (typeof url === "string") copy[field] = redactUrl(url);
  }
  return copy as T;
}
