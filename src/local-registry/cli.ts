import { CliUsageError, formatReady, parseArgs } from "./cli-args.js";
import { HELP } from "./cli-help.js";
import { startLocalRegistry } from "./index.js";

/** Runs the local registry from the command line until a stop signal. */
async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const registry = await startLocalRegistry(args.options);
  const ready = formatReady(
    {
      apiUrl: registry.apiUrl,
      storageUrl: registry.storageUrl,
      token: registry.tokens[0],
    },
    args.json,
  );
  process.stdout.write(ready.stdout);
  process.stderr.write(ready.stderr);

  const stop = (signal: string) => {
    process.stderr.write(`${signal}: stopping the local registry\n`);
    registry.close().catch((error: unknown) => {
      process.stderr.write(`error while stopping: ${String(error)}\n`);
      process.exitCode = 1;
    });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof CliUsageError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `local-registry: ${message}\n` +
      (usage ? "Run with --help to see the options.\n" : ""),
  );
  process.exitCode = usage ? 2 : 1;
});
