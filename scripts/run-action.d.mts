export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  githubEnv: string;
  runnerTemp: string;
}
export interface RunActionOptions {
  inputs?: Record<string, string | number | boolean>;
  env?: Record<string, string | undefined>;
  node?: string;
  workspace?: string;
  entry?: string;
  timeoutMs?: number;
}
export function inputVariable(name: string): string;
export function parseOutputFile(text: string): Record<string, string>;
export function prepareRunner(options?: {
  inputs?: Record<string, string | number | boolean>;
  env?: Record<string, string | undefined>;
  workspace?: string;
}): {
  env: Record<string, string | undefined>;
  read(): Pick<ActionRun, "outputs" | "summary" | "githubEnv" | "runnerTemp">;
};
export function runAction(options?: RunActionOptions): Promise<ActionRun>;
