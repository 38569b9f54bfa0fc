/** Paths the tests share. */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder. */
export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../..",
);

/** Real inputs written by people who publish packages: see SOURCES.md there. */
export const REAL_FIXTURES = path.resolve(ROOT, "../shared/fixtures/real");

export const REAL_PACKAGES = path.join(REAL_FIXTURES, "packages");
export const REAL_TEMPLATES = path.join(REAL_FIXTURES, "templates");
