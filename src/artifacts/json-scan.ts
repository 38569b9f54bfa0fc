/**
 * One streaming pass over a JSON file: checks that it is well-formed,
 * hashes it, and keeps only the top-level members asked for, so that a
 * schema of hundreds of megabytes is read in memory that does not grow
 * with its size.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { Tokenizer, TokenType } from "@streamparser/json";
import { ValueBuilder } from "./json-value.js";

/** What one pass over a JSON file found. */
export interface JsonScan {
  bytes: number;
  /** Hex sha256 of the file's bytes. */
  sha256: string;
  /** The kind of the top-level value, as `typeof` names it ("object"…). */
  rootType: "object" | "array" | "string" | "number" | "boolean" | "null";
  /** The wanted members of a top-level object, parsed; the last one wins. */
  members: Map<string, unknown>;
}

/** Malformed JSON, with the byte offset where it was found. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

/** Large enough that a read costs little, small enough to stay in cache. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads `file` once and returns its size, sha256 and the top-level members
 * named in `wanted`. Throws {@link JsonSyntaxError} on malformed JSON.
 */
export async function scanJsonFile(
  file: string,
  wanted: ReadonlySet<string>,
): Promise<JsonScan> {
  const hash = createHash("sha256");
  const grammar = new JsonGrammar(wanted);
  // Strings are collected in a buffer rather than by concatenation, which
  // keeps long descriptions from growing V8's string ropes.
  const tokenizer = new Tokenizer({ stringBufferSize: CHUNK_BYTES });
  tokenizer.onToken = ({ token, value, offset }) =>
    grammar.push(token, value, offset);

  let bytes = 0;
  for await (const chunk of readAhead(file)) {
    hash.update(chunk);
    writeChecked(tokenizer, chunk, bytes);
    bytes += chunk.length;
  }
  endChecked(tokenizer, bytes);
  grammar.end(bytes);
  return {
    bytes,
    sha256: hash.digest("hex"),
    rootType: grammar.rootType ?? "object",
    members: grammar.members,
  };
}

/**
 * The file's chunks, the next one always being read while the caller works
 * on the current one, so that reading and parsing overlap.
 */
async function* readAhead(file: string): AsyncGenerator<Buffer> {
  const handle = await fs.open(file, "r");
  try {
    let position = 0;
    const readAt = (at: number) =>
      handle.read(Buffer.allocUnsafe(CHUNK_BYTES), 0, CHUNK_BYTES, at);
    let next = readAt(position);
    for (;;) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) return;
      position += bytesRead;
      next = readAt(position);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

function writeChecked(tokenizer: Tokenizer, chunk: Buffer, at: number) {
  try {
    tokenizer.write(chunk);
  } catch (error) {
    throw asSyntaxError(error, at);
  }
}

function endChecked(tokenizer: Tokenizer, at: number) {
  try {
    tokenizer.end();
  } catch (error) {
    throw asSyntaxError(error, at);
  }
}

/** The tokenizer's errors, reworded; their offset is in the message. */
function asSyntaxError(error: unknown, at: number): Error {
  if (error instanceof JsonSyntaxError) return error;
  const message = (error as Error).message;
  const unexpected = /^Unexpected "([^]*)" at .*absolute position "(\d+)"/.exec(
    message,
  );
  if (unexpected) {
    return new JsonSyntaxError(
      `unexpected character ${JSON.stringify(unexpected[1])}`,
      Number(unexpected[2]),
    );
  }
  if (/ended in the middle of a token/.test(message)) {
    return new JsonSyntaxError(
      "the file ends inside a string, number or literal",
      at,
    );
  }
  return new JsonSyntaxError(message, at);
}

// What the next token may be.
const VALUE = 0;
const VALUE_OR_CLOSE = 1; // just after "["
const KEY = 2; // just after ","
const KEY_OR_CLOSE = 3; // just after "{"
const COLON = 4;
const COMMA_OR_CLOSE = 5;
const END = 6;

const EXPECTED = [
  "a value",
  'a value or "]"',
  "a property name in double quotes",
  'a property name in double quotes or "}"',
  '":"',
  '"," or a closing bracket',
  "the end of the file",
];

const TOKEN_TEXT: Partial<Record<TokenType, string>> = {
  [TokenType.LEFT_BRACE]: '"{"',
  [TokenType.RIGHT_BRACE]: '"}"',
  [TokenType.LEFT_BRACKET]: '"["',
  [TokenType.RIGHT_BRACKET]: '"]"',
  [TokenType.COLON]: '":"',
  [TokenType.COMMA]: '","',
};

/**
 * The JSON grammar over the tokenizer's tokens (the tokenizer checks only
 * each token), collecting the wanted members of the top-level object.
 */
class JsonGrammar {
  rootType: JsonScan["rootType"] | undefined;
  readonly members = new Map<string, unknown>();
  /** The open containers: true for an object, false for an array. */
  private readonly open: boolean[] = [];
  private expect = VALUE;
  private key = "";
  private member: ValueBuilder | undefined;

  constructor(private readonly wanted: ReadonlySet<string>) {}

  push(token: TokenType, value: unknown, offset: number): void {
    const starts =
      this.member === undefined &&
      this.expect === VALUE &&
      this.open.length === 1 &&
      this.open[0] === true &&
      this.wanted.has(this.key);
    this.check(token, value, offset);
    if (starts) this.member = new ValueBuilder();
    if (this.member) this.collect(token, value);
  }

  private check(token: TokenType, value: unknown, offset: number): void {
    switch (this.expect) {
      case VALUE:
      case VALUE_OR_CLOSE:
        return this.value(token, offset);
      case KEY:
      case KEY_OR_CLOSE:
        if (token === TokenType.STRING) {
          if (this.open.length === 1) this.key = value as string;
          this.expect = COLON;
          return;
        }
        if (token === TokenType.RIGHT_BRACE && this.expect === KEY_OR_CLOSE) {
          return this.close();
        }
        return this.fail(token, offset);
      case COLON:
        if (token !== TokenType.COLON) return this.fail(token, offset);
        this.expect = VALUE;
        return;
      case COMMA_OR_CLOSE:
        return this.afterMember(token, offset);
      default:
        return this.fail(token, offset);
    }
  }

  /** At the end of the file, the top-level value must be complete. */
  end(bytes: number): void {
    if (this.expect === END) return;
    throw new JsonSyntaxError(
      this.rootType === undefined
        ? "the file holds no JSON value"
        : "the file ends before the top-level value is closed",
      bytes,
    );
  }

  private value(token: TokenType, offset: number): void {
    if (token === TokenType.RIGHT_BRACKET && this.expect === VALUE_OR_CLOSE) {
      return this.close();
    }
    const container =
      token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET;
    const scalar = token > TokenType.COMMA && token < TokenType.SEPARATOR;
    if (!container && !scalar) return this.fail(token, offset);
    this.rootType ??= rootTypeOf(token);
    if (scalar) return this.valueDone();
    const object = token === TokenType.LEFT_BRACE;
    this.open.push(object);
    this.expect = object ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
  }

  private afterMember(token: TokenType, offset: number): void {
    const object = this.open[this.open.length - 1];
    if (token === TokenType.COMMA) {
      this.expect = object ? KEY : VALUE;
      return;
    }
    const closing = object ? TokenType.RIGHT_BRACE : TokenType.RIGHT_BRACKET;
    if (token === closing) return this.close();
    return this.fail(token, offset);
  }

  private close(): void {
    this.open.pop();
    this.valueDone();
  }

  private valueDone(): void {
    this.expect = this.open.length === 0 ? END : COMMA_OR_CLOSE;
  }

  private collect(token: TokenType, value: unknown): void {
    const member = this.member!;
    member.push(token, value);
    if (member.done) {
      this.members.set(this.key, member.value);
      this.member = undefined;
    }
  }

  private fail(token: TokenType, offset: number): never {
    const found = TOKEN_TEXT[token] ?? "a value";
    throw new JsonSyntaxError(
      `expected ${EXPECTED[this.expect]} but found ${found}`,
      offset,
    );
  }
}

function rootTypeOf(token: TokenType): JsonScan["rootType"] {
  switch (token) {
    case TokenType.LEFT_BRACE:
      return "object";
    case TokenType.LEFT_BRACKET:
      return "array";
    case TokenType.STRING:
      return "string";
    case TokenType.NUMBER:
      return "number";
    case TokenType.NULL:
      return "null";
    default:
      return "boolean";
  }
}
