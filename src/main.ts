/** One run of the action: settings, the command, the report. */
import { runCommand } from "./commands/index.js";
import { readSettings } from "./inputs.js";
import {
  actionLogger,
  reportFailure,
  writeOutputs,
  writeSummary,
} from "./report.js";

/** Runs the action; a failure ends the step with one annotation. */
export async function run(): Promise<void> {
  let workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  try {
    const settings = readSettings();
    workspace = settings.workspace;
    if (settings.tokenSource) {
      actionLogger.info(
        `Using the access token from ${tokenOrigin[settings.tokenSource]}.`,
      );
    }
    const report = await runCommand(settings, actionLogger);
    writeOutputs(report);
    if (settings.summary) await writeSummary(report);
  } catch (error) {
    reportFailure(error, workspace);
  }
}

const tokenOrigin = {
  input: 'the "access-token" input',
  env: "PULUMI_ACCESS_TOKEN",
};
