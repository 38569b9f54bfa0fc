/**
 * Readers for single input values: each checks one value and throws an
 * `InputError` that names the input, quotes the value and says the fix.
 */
import { statSync } from "node:fs";
import { InputError } from "./errors.js";

/** Reads one input, trimmed; undefined when empty. */
export type Get = (name: string) => string | undefined;

/** One of `choices`, or `fallback` when the input is empty. */
export function readChoice<T extends string>(
  get: Get,
  input: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = get(input);
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(
    `Input "${input}" is "${value}", which is not one of: ` +
      `${choices.join(", ")}. Set it to one of those values.`,
    { input },
  );
}

/** A YAML-style boolean, or `fallback` when the input is empty. */
export function readBoolean(
  get: Get,
  input: string,
  fallback: boolean,
): boolean {
  const value = get(input);
  if (value === undefined) return fallback;
  if (/^(true|yes|on)$/i.test(value)) return true;
  if (/^(false|no|off)$/i.test(value)) return false;
  throw new InputError(
    `Input "${input}" is "${value}", which is not a boolean. ` +
      `Use "true" or "false".`,
    { input },
  );
}

/** The range a number input must fall in. */
export interface NumberRule {
  min: number;
  max?: number;
  integer?: boolean;
}

/** A number within `rule`, or `fallback` when the input is empty. */
export function readNumber(
  get: Get,
  input: string,
  fallback: number,
  rule: NumberRule,
): number {
  const value = get(input);
  if (value === undefined) return fallback;
  const number = Number(value);
  const fits =
    Number.isFinite(number) &&
    number >= rule.min &&
    (rule.max === undefined || number <= rule.max) &&
    (!rule.integer || Number.isInteger(number));
  if (fits) return number;
  const range =
    rule.max === undefined
      ? `at least ${rule.min}`
      : `${rule.min} to ${rule.max}`;
  throw new InputError(
    `Input "${input}" is "${value}". ` +
      `It must be ${rule.integer ? "a whole number" : "a number"} ${range}.`,
    { input },
  );
}

/** An existing directory, or an error saying how to make it one. */
export function readDirectory(input: string, dir: string): string {
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    // Reported below with the fix.
  }
  if (!isDirectory) {
    throw new InputError(
      `Input "${input}" points to "${dir}", which is not a directory. ` +
        `Check the path, and that the repository is checked out ` +
        `(actions/checkout) before this step.`,
      { input },
    );
  }
  return dir;
}
