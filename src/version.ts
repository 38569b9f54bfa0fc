/**
 * Works out the version to publish and checks it: the `version` input, the
 * tag that triggered the run, a version file, or the schema's own version.
 */
import { readFileSync } from "node:fs";
import semver from "semver";
import { InputError } from "./errors.js";

/** Where the version came from, for the log and the summary. */
export type VersionOrigin = "input" | "tag" | "version-file" | "schema";

export interface ResolvedVersion {
  version: string;
  origin: VersionOrigin;
  /** A short phrase naming the origin, e.g. `tag "v1.2.3"`. */
  detail: string;
  warnings: string[];
}

/** The candidate sources, in the order they are tried. */
export interface VersionSources {
  /** The `version` input. */
  input?: string;
  /** `GITHUB_REF`. */
  ref?: string;
  /** The `tag-prefix` input. */
  tagPrefix: string;
  /** A file named by `version-file` (must exist and hold a version). */
  versionFile?: string;
  /** The default version file (package.json), used only when it exists. */
  defaultVersionFile?: string;
  /** The schema's `version` field, when it has one. */
  schemaVersion?: string;
}

const TAG_REF = "refs/tags/";

/** Resolves and validates the version; throws `InputError` naming the input. */
export function resolveVersion(sources: VersionSources): ResolvedVersion {
  const placeholders: string[] = [];
  const resolved =
    fromInput(sources.input) ??
    fromTag(sources.ref, sources.tagPrefix, placeholders) ??
    fromVersionFile(sources.versionFile, true, placeholders) ??
    fromVersionFile(sources.defaultVersionFile, false, placeholders) ??
    fromSchema(sources.schemaVersion, placeholders);
  if (!resolved) {
    const found = placeholders.length
      ? ` Only placeholder versions were found (${placeholders.join("; ")}), ` +
        "and those are published only when given as the input."
      : "";
    throw new InputError(
      `No version to publish was found.${found} Set the "version" input, ` +
        "run the workflow on a tag such as v1.2.3, or give a " +
        '"version-file" (a package.json with a version).',
      { input: "version" },
    );
  }
  const differing = sources.schemaVersion;
  if (
    differing &&
    resolved.origin !== "schema" &&
    !isPlaceholder(differing) &&
    differing !== resolved.version
  ) {
    resolved.warnings.push(
      `The schema states version "${differing}", but ${resolved.detail} ` +
        `gives "${resolved.version}"; publishing "${resolved.version}".`,
    );
  }
  return resolved;
}

/**
 * True for placeholder versions that build tools write before a release
 * (`0.0.0`, `0.0.0-dev`): never published unless given explicitly.
 */
export function isPlaceholder(version: string): boolean {
  return /^v?0\.0\.0(-dev)?$/.test(version);
}

/**
 * Checks that `value` is strict semver (no coercion: `1.1` is an error),
 * keeping prerelease and build metadata. One leading `v` is dropped.
 */
export function parseStrictVersion(value: string): string | undefined {
  const bare = value.startsWith("v") ? value.slice(1) : value;
  if (!/^\d/.test(bare) || /\s/.test(bare)) return undefined;
  return semver.valid(bare) ? bare : undefined;
}

function fromInput(input?: string): ResolvedVersion | undefined {
  if (input === undefined) return undefined;
  const version = parseStrictVersion(input);
  if (!version) {
    throw new InputError(
      `Input "version" is "${input}", which is not a semantic version. ` +
        `Use the full form MAJOR.MINOR.PATCH, such as "1.2.3" or ` +
        `"1.2.3-beta.1" (versions are never padded: "1.1" is not "1.1.0").`,
      { input: "version" },
    );
  }
  return result(version, "input", `input "version"`);
}

/** The tag a `GITHUB_REF` names, or undefined when it is not a tag. */
export function tagOfRef(ref: string | undefined): string | undefined {
  return ref?.startsWith(TAG_REF) ? ref.slice(TAG_REF.length) : undefined;
}

function fromTag(
  ref: string | undefined,
  prefix: string,
  placeholders: string[],
): ResolvedVersion | undefined {
  const tag = tagOfRef(ref);
  if (tag === undefined) return undefined;
  if (!tag.startsWith(prefix)) {
    throw new InputError(
      `The tag "${tag}" does not start with the tag prefix "${prefix}", so ` +
        `it belongs to another package. Filter tags in the workflow's ` +
        `"on: push: tags:" (for example "${prefix}v*"), or fix "tag-prefix".`,
      { input: "tag-prefix" },
    );
  }
  const version = parseStrictVersion(tag.slice(prefix.length));
  if (!version) {
    throw new InputError(
      `The tag "${tag}" does not name a semantic version after the prefix ` +
        `"${prefix}". Tag releases as "${prefix}v1.2.3", set "tag-prefix" ` +
        `to the part before the version, or set the "version" input.`,
      { input: "tag-prefix" },
    );
  }
  return usable(version, "tag", `tag "${tag}"`, placeholders);
}

function fromVersionFile(
  file: string | undefined,
  required: boolean,
  placeholders: string[],
): ResolvedVersion | undefined {
  if (file === undefined) return undefined;
  const location = { input: "version-file", file };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (!required) return undefined;
    throw new InputError(
      `The version file "${file}" cannot be read ` +
        `(${(error as NodeJS.ErrnoException).code}). Check "version-file".`,
      location,
    );
  }
  let version: unknown;
  try {
    // npm and editors on Windows accept a byte-order mark; so do we.
    const json = text.replace(/^\uFEFF/, "");
    version = (JSON.parse(json) as { version?: unknown }).version;
  } catch {
    if (!required) return undefined;
    throw new InputError(
      `The version file "${file}" is not valid JSON. ` +
        `"version-file" must name a package.json-style file.`,
      location,
    );
  }
  if (typeof version !== "string") {
    if (!required) return undefined;
    throw new InputError(
      `The version file "${file}" has no "version" field. ` +
        `Add one, or set the "version" input.`,
      location,
    );
  }
  const parsed = parseStrictVersion(version);
  if (!parsed) {
    throw new InputError(
      `The version file "${file}" says "${version}", which is not a ` +
        `semantic version such as "1.2.3".` +
        (required
          ? ""
          : ` It was read because "version-file" is not set and it is the ` +
            `working directory's package.json: set "version" (or ` +
            `"version-file") to take the version from elsewhere.`),
      location,
    );
  }
  const detail = `version file "${file}"`;
  return usable(parsed, "version-file", detail, placeholders);
}

function fromSchema(
  version: string | undefined,
  placeholders: string[],
): ResolvedVersion | undefined {
  if (version === undefined) return undefined;
  const parsed = parseStrictVersion(version);
  if (!parsed) {
    throw new InputError(
      `The schema's "version" is "${version}", which is not a semantic ` +
        `version. Fix it in the schema, or set the "version" input.`,
      { input: "schema" },
    );
  }
  return usable(parsed, "schema", "the schema's version field", placeholders);
}

/** Placeholders found outside the `version` input fall through. */
function usable(
  version: string,
  origin: VersionOrigin,
  detail: string,
  placeholders: string[],
): ResolvedVersion | undefined {
  if (!isPlaceholder(version)) return result(version, origin, detail);
  placeholders.push(`"${version}" from ${detail}`);
  return undefined;
}

function result(
  version: string,
  origin: VersionOrigin,
  detail: string,
): ResolvedVersion {
  return { version, origin, detail, warnings: [] };
}
