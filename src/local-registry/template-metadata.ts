import { parse as parseYaml } from "yaml";
import type {
  TemplateMetadata,
  TemplateRuntimeInfo,
} from "../registry/types.js";
import type { VersionRecord } from "./state.js";
import {
  readTemplateArchive,
  type TemplateArchive,
} from "./template-archive.js";
import { dropUndefined, isObject, text } from "./values.js";

/** What a template version's metadata takes from its archive. */
export interface TemplateDetails {
  displayName: string;
  description?: string;
  runtime?: TemplateRuntimeInfo;
  language: string;
  metadata?: Record<string, string>;
  config?: Record<string, unknown>;
}

/** A template archive the service accepted. */
export interface AcceptedTemplate {
  details: TemplateDetails;
  readme?: Buffer;
}

/** Download URLs of a template version. */
export interface TemplateUrls {
  downloadURL: string;
  readmeURL?: string;
}

/**
 * Checks an uploaded archive as the service does on complete. Returns the
 * accepted template, or a message saying why the archive is refused.
 */
export async function readTemplate(
  bytes: Buffer,
  name: string,
): Promise<AcceptedTemplate | string> {
  let archive: TemplateArchive;
  try {
    archive = await readTemplateArchive(bytes);
  } catch (error) {
    return (error as Error).message;
  }
  if (!archive.project) return missingProjectMessage(archive.paths);

  let project: unknown;
  try {
    project = parseYaml(archive.project.toString("utf8"));
  } catch (error) {
    return `Pulumi.yaml is not valid YAML: ${(error as Error).message}`;
  }
  if (!isObject(project) || !isObject(project.template)) {
    return "Pulumi.yaml has no `template:` section";
  }
  const details = detailsOf(project, project.template, name, archive.paths);
  return { details, readme: archive.readme };
}

/** The metadata the get and list endpoints answer for a template version. */
export function templateMetadata(
  record: VersionRecord,
  urls: TemplateUrls,
): TemplateMetadata {
  const details = record.details as TemplateDetails;
  return {
    name: record.name,
    publisher: record.publisher,
    source: record.source,
    ...details,
    ...urls,
    visibility: "private",
    updatedAt: record.timestamp,
    url:
      `registry://templates/${record.source}/${record.publisher}/` +
      `${record.name}@${record.version}`,
    version: record.version,
  };
}

function missingProjectMessage(paths: string[]): string {
  const nested = paths.find((path) => /(^|\/)Pulumi\.ya?ml$/.test(path));
  return nested
    ? `Pulumi.yaml must be at the root of the archive, found "${nested}"`
    : "the archive has no Pulumi.yaml at its root";
}

function detailsOf(
  project: Record<string, unknown>,
  template: Record<string, unknown>,
  name: string,
  paths: string[],
): TemplateDetails {
  const runtime = runtimeOf(project.runtime);
  return dropUndefined({
    displayName: text(template.displayName) ?? name,
    description: text(template.description) ?? text(project.description),
    runtime,
    language: languageOf(runtime?.name, paths),
    metadata: stringMap(template.metadata),
    config: isObject(template.config) ? template.config : undefined,
  });
}

function runtimeOf(value: unknown): TemplateRuntimeInfo | undefined {
  if (typeof value === "string") return { name: value };
  if (!isObject(value)) return undefined;
  return dropUndefined({
    name: text(value.name),
    options: isObject(value.options) ? value.options : undefined,
  });
}

function languageOf(runtime: string | undefined, paths: string[]): string {
  if (runtime === "nodejs") {
    const typescript = paths.some(
      (path) => path === "tsconfig.json" || /\.tsx?$/.test(path),
    );
    return typescript ? "typescript" : "javascript";
  }
  const same = ["python", "go", "dotnet", "java", "yaml"];
  return runtime && same.includes(runtime) ? runtime : "unknown";
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, String(item)]),
  );
}
