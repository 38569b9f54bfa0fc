/**
 * Which entry and version a read or delete command is about, from the same
 * inputs publish uses: `publisher`, `name` (else the schema's or the
 * template's own name), and `version` (else the tag or the version file;
 * a delete takes the input only).
 */
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { readSchema } from "../artifacts/schema.js";
import { readTemplateProject } from "../artifacts/template-project.js";
import { InputError } from "../errors.js";
import { INPUT, type Settings } from "../inputs.js";
import type { EntryRef } from "../registry/types.js";
import {
  resolveVersion,
  type ResolvedVersion,
  type VersionSources,
} from "../version.js";

/** The `publisher`, after its defaults; an `InputError` when none is known. */
export function requirePublisher(settings: Settings): string {
  if (settings.publisher) return settings.publisher;
  throw new InputError(
    `Input "${INPUT.publisher}" is required by "command: ` +
      `${settings.command}": the organization that owns the ` +
      `${settings.kind}, such as your Pulumi Cloud organization's name.`,
    { input: INPUT.publisher },
  );
}

/** The entry the settings name; throws `InputError` when one is missing. */
export async function resolveRef(settings: Settings): Promise<EntryRef> {
  const publisher = requirePublisher(settings);
  const name = settings.name ?? (await nameFromFiles(settings));
  if (!name) {
    const where =
      settings.kind === "package"
        ? `or a "${INPUT.schema}" whose name is used`
        : `or a "${INPUT.templateDirectory}" holding the template's Pulumi.yaml`;
    throw new InputError(
      `Input "${INPUT.name}" is required by "command: ${settings.command}" ` +
        `(the ${settings.kind}'s registry name), ${where}.`,
      { input: INPUT.name },
    );
  }
  return {
    kind: settings.kind,
    source: settings.source,
    publisher,
    name,
  };
}

/** Where the version may come from: input, tag, version file. */
export function versionSourcesOf(settings: Settings): VersionSources {
  return {
    input: settings.version,
    ref: settings.git.ref,
    tagPrefix: settings.tagPrefix,
    versionFile: settings.versionFile,
    defaultVersionFile: path.join(settings.workingDirectory, "package.json"),
  };
}

/** The version from `version`, the tag or the version file, as publish does. */
export function resolveTargetVersion(settings: Settings): ResolvedVersion {
  return resolveVersion(versionSourcesOf(settings));
}

/**
 * The `version` input only, for a delete: a version taken from the tag or
 * a version file could name a release nobody meant to remove.
 */
export function resolveExactVersion(settings: Settings): ResolvedVersion {
  if (settings.version === undefined) {
    throw new InputError(
      `Input "${INPUT.version}" is required by "command: ${settings.command}", ` +
        "which needs the exact version to delete. It is never taken from " +
        'the tag or a version file. Set it, such as "1.2.3".',
      { input: INPUT.version },
    );
  }
  return resolveVersion({ input: settings.version, tagPrefix: "" });
}

async function nameFromFiles(settings: Settings): Promise<string | undefined> {
  if (settings.kind === "package") {
    if (!settings.schema) return undefined;
    const tempDir = await fs.mkdtemp(path.join(settings.tempDir, "schema-"));
    try {
      return (await readSchema(settings.schema, tempDir)).facts.name;
    } finally {
      await fs.rm(tempDir, { recursive: true, force: true });
    }
  }
  const dir = settings.templateDirectory;
  if (!existsSync(path.join(dir, "Pulumi.yaml"))) return undefined;
  const project = await readTemplateProject(dir);
  return project.name ?? path.basename(dir);
}
