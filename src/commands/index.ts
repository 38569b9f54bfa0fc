/** Picks the code that runs each `command`. */
import type { Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import type { Report } from "../report.js";
import { runList } from "./list.js";
import { runPublish } from "./publish.js";
import { runShow } from "./show.js";
import { runUnpublish } from "./unpublish.js";

/** Runs the command the settings name and returns its report. */
export async function runCommand(
  settings: Settings,
  logger: Logger,
): Promise<Report> {
  switch (settings.command) {
    case "publish":
      return runPublish(await withPublishedAt(settings, logger), logger);
    case "unpublish":
      return runUnpublish(settings, logger);
    case "show":
      return runShow(settings, logger);
    case "list":
      return runList(settings, logger);
    case "plan-backfill": {
      const { runPlanBackfill } = await import("./plan-backfill.js");
      return runPlanBackfill(settings, logger);
    }
  }
}

/** The git helpers are loaded only when `published-at` asks git. */
async function withPublishedAt(
  settings: Settings,
  logger: Logger,
): Promise<Settings> {
  if (settings.publishedAtFrom === undefined) return settings;
  const { resolvePublishedAt } = await import("./published-at.js");
  return resolvePublishedAt(settings, logger);
}
