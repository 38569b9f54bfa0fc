/** Small facts about registry entries shared by the commands. */
import type { RegistryClient } from "./registry/client.js";
import type {
  EntryRef,
  PackageMetadata,
  TemplateMetadata,
} from "./registry/types.js";

export type EntryMetadata = PackageMetadata | TemplateMetadata;

/** Reads a version back; undefined when the registry does not have it. */
export function getVersion(
  client: Pick<RegistryClient, "getPackageVersion" | "getTemplateVersion">,
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
