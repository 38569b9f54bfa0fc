/**
 * The files of a package version: the schema, the index page and the
 * installation-configuration page, checked and described before upload.
 */
import path from "node:path";
import { InputError } from "../errors.js";
import {
  describeArtifact,
  findFileIgnoringCase,
  requireFile,
  type Artifact,
} from "./files.js";
import { readSchema, type SchemaFacts } from "./schema.js";

export interface PackageInputs {
  /** Absolute path of the schema (`schema` input). */
  schema?: string;
  /** Absolute path of the index page (`readme` input). */
  readme?: string;
  /** Absolute path of `installation-configuration`, if any. */
  installationConfiguration?: string;
  /** The `name` input, which must equal the schema's name. */
  name?: string;
  workingDirectory: string;
  /** Where a converted schema is written. */
  tempDir: string;
}

export interface PackageArtifacts {
  schema: SchemaFacts;
  artifacts: Artifact[];
}

const MARKDOWN = "text/markdown; charset=utf-8";

/** Checks the package inputs and describes each file to upload. */
export async function buildPackageArtifacts(
  inputs: PackageInputs,
): Promise<PackageArtifacts> {
  if (!inputs.schema) {
    throw new InputError(
      'Input "schema" is required to publish a package. Give the path of ' +
        "the package schema, such as provider/cmd/pulumi-resource-x/schema.json, " +
        'or set "provider" to have the Pulumi CLI produce it.',
      { input: "schema" },
    );
  }
  await requireFile(inputs.schema, "schema");
  const schema = await readSchema(inputs.schema, inputs.tempDir);
  checkName(inputs.name, schema.facts.name, inputs.schema);

  const readme = await findIndexPage(inputs);
  const artifacts = [
    // The schema's size and digest come from the pass that checked it.
    {
      name: "schema",
      path: schema.path,
      contentType: "application/json",
      bytes: schema.bytes,
      sha256: schema.sha256,
    } satisfies Artifact,
    await describeArtifact("index", readme, MARKDOWN),
  ];
  if (inputs.installationConfiguration) {
    await requireFile(
      inputs.installationConfiguration,
      "installation-configuration",
    );
    artifacts.push(
      await describeArtifact(
        "installationConfiguration",
        inputs.installationConfiguration,
        MARKDOWN,
      ),
    );
  }
  return { schema: schema.facts, artifacts };
}

function checkName(input: string | undefined, name: string, file: string) {
  if (input !== undefined && input !== name) {
    throw new InputError(
      `Input "name" is "${input}", but the schema "${file}" names the ` +
        `package "${name}". The schema's name is the package name: remove ` +
        `the input or make the two agree.`,
      { input: "name", file },
    );
  }
}

/**
 * The index page: the `readme` input, else the first of `docs/_index.md`,
 * `_index.md` or `README.md` (any case) beside the schema, then in the
 * working directory.
 */
async function findIndexPage(inputs: PackageInputs): Promise<string> {
  if (inputs.readme) {
    await requireFile(inputs.readme, "readme");
    return inputs.readme;
  }
  const dirs = [path.dirname(inputs.schema!), inputs.workingDirectory];
  for (const dir of new Set(dirs)) {
    const found =
      (await findFileIgnoringCase(path.join(dir, "docs"), ["_index.md"])) ??
      (await findFileIgnoringCase(dir, ["_index.md", "README.md"]));
    if (found) return found;
  }
  throw new InputError(
    'No index page was found for the package. Set the "readme" input to ' +
      "the package's docs page (docs/_index.md or README.md), or add one " +
      `beside the schema or in "${inputs.workingDirectory}".`,
    { input: "readme" },
  );
}
