/** Builds a template's archive from `template-directory`, after checking it. */
import path from "node:path";
import {
  buildTemplateArchive,
  type TemplateArchive,
} from "../artifacts/template-archive.js";
import {
  checkTemplateName,
  readTemplateProject,
} from "../artifacts/template-project.js";
import type { Artifact } from "../artifacts/files.js";
import type { Settings } from "../inputs.js";
import type { Logger } from "../logger.js";

export interface BuiltTemplate {
  name: string;
  artifact: Artifact;
  files: string[];
}

/**
 * The template's name is the `name` input, else the project's name in
 * Pulumi.yaml unless it is a placeholder, else the folder's name.
 */
export async function buildTemplate(
  settings: Settings,
  tempDir: string,
  logger: Logger,
): Promise<BuiltTemplate> {
  const dir = settings.templateDirectory;
  const project = await readTemplateProject(dir);
  const name = settings.name ?? project.name ?? path.basename(dir);
  checkTemplateName(name);
  const archive: TemplateArchive = await buildTemplateArchive({
    dir,
    outDir: tempDir,
    workspace: settings.workspace,
    maxBytes: settings.maxArchiveBytes,
    logger,
  });
  return {
    name,
    artifact: {
      name: "archive",
      path: archive.path,
      bytes: archive.bytes,
      sha256: archive.sha256,
      contentType: "application/gzip",
    },
    files: archive.files.map((file) => file.path),
  };
}
