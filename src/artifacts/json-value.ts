/**
 * Assembles one JSON value from tokens that have already passed the
 * grammar check: used to keep a small member of a large document.
 */
import { TokenType } from "@streamparser/json";

type Container = Record<string, unknown> | unknown[];

interface Frame {
  container: Container;
  /** In an object, the key read and waiting for its value. */
  key?: string;
}

/** Feeds on tokens until one complete value is built. */
export class ValueBuilder {
  value: unknown;
  done = false;
  private readonly frames: Frame[] = [];

  push(token: TokenType, value: unknown): void {
    const frame = this.frames[this.frames.length - 1];
    switch (token) {
      case TokenType.LEFT_BRACE:
        return this.open({});
      case TokenType.LEFT_BRACKET:
        return this.open([]);
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.frames.pop();
        return this.add(frame!.container);
      case TokenType.COLON:
      case TokenType.COMMA:
      case TokenType.SEPARATOR:
        return;
      case TokenType.STRING:
        if (
          frame &&
          !Array.isArray(frame.container) &&
          frame.key === undefined
        ) {
          frame.key = value as string;
          return;
        }
        return this.add(value);
      default:
        return this.add(value);
    }
  }

  private open(container: Container): void {
    this.frames.push({ container });
  }

  private add(value: unknown): void {
    const parent = this.frames[this.frames.length - 1];
    if (!parent) {
      this.value = value;
      this.done = true;
    } else if (Array.isArray(parent.container)) {
      parent.container.push(value);
    } else {
      define(parent.container, parent.key!, value);
      parent.key = undefined;
    }
  }
}

/** Sets a property even when its name is `__proto__`, as JSON.parse does. */
function define(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}
