/** Picks the code that runs each `command`. */
import type { Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import type { RunReport } from "../report.js";
import { runPublish } from "./publish.js";

/** Runs the command the settings name and returns its report. */
export function runCommand(
  settings: Settings,
  logger: Logger,
): Promise<RunReport> {
  switch (settings.command) {
    case "publish":
      return runPublish(settings, logger);
  }
}
