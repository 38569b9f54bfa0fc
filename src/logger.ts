/**
 * The logging surface the core modules use. `main.ts` passes one backed by
 * `@actions/core`; tests pass a recording one. Modules below `main.ts` never
 * import the runner themselves.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  /** Runs `fn` inside a collapsible group; the group closes even on throw. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** A logger that keeps every line, for tests and for the local tools. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];

  debug(message: string): void {
    this.lines.push(`debug: ${message}`);
  }

  info(message: string): void {
    this.lines.push(message);
  }

  warning(message: string): void {
    this.lines.push(`warning: ${message}`);
  }

  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`group: ${name}`);
    try {
      return await fn();
    } finally {
      this.lines.push("endgroup");
    }
  }
}
