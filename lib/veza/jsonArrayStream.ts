/**
 * A streaming JSON reader for one large array in a document, e.g. `$.employees` of a 430 MB HRIS report: the text
 * comes in chunks, each element of the array is handed over parsed as it completes, and only the element being read
 * is held. Everything else in the document (`$.fields`, …) is parsed and handed over too, so the whole text is
 * checked: the structure around the values here, each value by JSON.parse. A syntax error is a JsonSyntaxError with
 * its offset in the text (in UTF-16 units, as a JavaScript string of the document counts them).
 *
 * Why not a streaming parser from npm (stream-json, @streamparser/json, jsonparse, clarinet): they tokenize every
 * character in JavaScript and build each value token by token, several times slower than JSON.parse, which stays
 * the parser here. This reader only finds where each element ends (strings skipped with indexOf, brackets counted)
 * and gives JSON.parse the element's text.
 */

import { firstSyntaxError } from "../jsonFile";

export class JsonSyntaxError extends Error {
  constructor(
    /** Offset of the error in the document text (UTF-16 units). */
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

export interface JsonArrayHandlers {
  /** Each element of the array, parsed, with its index. */
  element(value: unknown, index: number): void;
  /** Every other value the document holds on the way (its object keys), or the whole document when it is not an object. */
  other?(path: readonly string[], value: unknown): void;
}

const enum S {
  /** Expecting a value (the document, an object member's value, an array element). */
  Value,
  /** In an object, after `{`: a key or `}`. */
  KeyOrEnd,
  /** In an object, after `,`: a key. */
  Key,
  Colon,
  /** After a member or element: `,` or the closing bracket. */
  CommaOrEnd,
  /** In an array, after `[`: an element or `]`. */
  ValueOrEnd,
  /** After the document: only whitespace. */
  Done,
}

interface Frame {
  array: boolean;
  /** Keys from the document to this container. */
  depth: number;
  /** The target array. */
  target: boolean;
}

/** What is being read: a value's text, from `start` in the buffer, until it is complete. */
interface Capture {
  kind: "element" | "other" | "key";
  start: number;
  /** Brackets open (0 for a string or a literal). */
  depth: number;
  inString: boolean;
  literal: boolean;
}

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** Where a number or true/false/null ends. */
const endsLiteral = (c: number) => c === 0x2c || c === 0x5d || c === 0x7d || isWs(c);

const shown = (c: string) => (c === undefined ? "end of input" : `token '${c}'`);

export class JsonArrayStream {
  private buf = "";
  private pos = 0;
  /** Offset of buf[0] in the document. */
  private base = 0;
  private readonly frames: Frame[] = [];
  /** Keys from the document to the current position. */
  private readonly keys: string[] = [];
  private state: S = S.Value;
  private capture?: Capture;
  private first = true;
  private fastTried = false;
  /** Elements handed over. */
  count = 0;
  /** Whether the array was found at the path. */
  found = false;

  /** `path`: the keys of the array from the document, e.g. ["employees"]; [] for a document that is the array. */
  constructor(
    private readonly path: readonly string[],
    private readonly handlers: JsonArrayHandlers,
  ) {}

  /** Reads the next piece of the text. */
  write(text: string): void {
    if (this.first) {
      this.first = false;
      // A UTF-8 byte order mark, which Windows editors write, is not part of the JSON.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.fastTried = false;
    const keep = this.capture ? this.capture.start : this.pos;
    this.base += keep;
    this.buf = keep >= this.buf.length ? text : this.buf.slice(keep) + text;
    this.pos -= keep;
    if (this.capture) this.capture.start = 0;
    this.run();
  }

  /** The text is complete: checks that the document is. */
  end(): void {
    const c = this.capture;
    if (c?.literal) {
      // A document that is a number ends with the text.
      this.finishCapture(this.buf.length);
    }
    if (this.state !== S.Done || this.capture) throw new JsonSyntaxError(this.base + this.buf.length, "Unexpected end of JSON input");
  }

  private fail(at: number, expected: string): never {
    throw new JsonSyntaxError(this.base + at, `Unexpected ${shown(this.buf[at])}, expected ${expected}`);
  }

  private run(): void {
    const buf = this.buf;
    const n = buf.length;
    for (;;) {
      if (this.capture) {
        if (!this.scanCapture()) return;
        continue;
      }
      let i = this.pos;
      while (i < n && isWs(buf.charCodeAt(i))) i++;
      this.pos = i;
      if (i >= n) return;
      const c = buf.charCodeAt(i);
      switch (this.state) {
        case S.Done:
          this.fail(i, "the end of the document");
        case S.KeyOrEnd:
        case S.Key:
          if (c === 0x7d && this.state === S.KeyOrEnd) {
            this.close(i);
            break;
          }
          if (c !== 0x22) this.fail(i, "a property name in double quotes");
          this.capture = { kind: "key", start: i, depth: 0, inString: false, literal: false };
          break;
        case S.Colon:
          if (c !== 0x3a) this.fail(i, "':' after a property name");
          this.pos = i + 1;
          this.state = S.Value;
          break;
        case S.CommaOrEnd: {
          const f = this.frames[this.frames.length - 1];
          if (c === 0x2c) {
            this.pos = i + 1;
            if (f.array) this.state = S.Value;
            else {
              this.keys.length = f.depth;
              this.state = S.Key;
            }
          } else if (c === (f.array ? 0x5d : 0x7d)) this.close(i);
          else this.fail(i, f.array ? "',' or ']' after an array element" : "',' or '}' after a property value");
          break;
        }
        case S.ValueOrEnd:
          if (c === 0x5d) {
            this.close(i);
            break;
          }
        // falls through: an element
        case S.Value:
          if (this.frames[this.frames.length - 1]?.target && this.elementsUpToLastBrace(i)) break;
          this.value(i, c);
          break;
      }
    }
  }

  /**
   * The fast way through the array: JSON.parse of every element up to an element's end near the end of the text, in
   * one call. Text from an element's start to a `}` is whole elements exactly when `[` + it + `]` parses (a cut inside
   * a string or a nested object leaves it unbalanced), so a failure only means finding the elements one by one (a
   * syntax error is then found where it is). The `}` tried first is the last one followed by `,{`, which is how
   * JSON.stringify and most APIs separate objects in a list: the text's last `}` closes a nested object in records
   * that nest (Personio's attributes), and a parse that fails there has read the whole piece for nothing. Then the
   * last `}` (a list written with spaces between its elements).
   */
  private elementsUpToLastBrace(i: number): boolean {
    // Once per piece of text: after a failure the rest of the piece is read element by element.
    if (this.fastTried) return false;
    this.fastTried = true;
    const separator = this.buf.lastIndexOf("},{");
    if (separator > i && this.parseElementsTo(i, separator)) return true;
    const last = this.buf.lastIndexOf("}");
    return last > i && last !== separator && this.parseElementsTo(i, last);
  }

  /** Hands over the elements from i to the `}` at `last`, if that text is whole elements. */
  private parseElementsTo(i: number, last: number): boolean {
    let elements: unknown[];
    try {
      elements = JSON.parse(`[${this.buf.slice(i, last + 1)}]`);
    } catch {
      return false;
    }
    this.pos = last + 1;
    this.state = S.CommaOrEnd;
    for (const e of elements) this.handlers.element(e, this.count++);
    return true;
  }

  /** A value starts at i: a container on the way to the array is entered, anything else read whole. */
  private value(i: number, c: number): void {
    const top = this.frames[this.frames.length - 1];
    if (top?.target) {
      this.capture = { kind: "element", start: i, depth: 0, inString: false, literal: false };
      this.startCapture(c);
      return;
    }
    const depth = this.keys.length;
    const onPath = depth <= this.path.length && (top === undefined || !top.array) && this.keys.every((k, j) => k === this.path[j]);
    if (onPath && depth === this.path.length && c === 0x5b) {
      this.found = true;
      this.frames.push({ array: true, depth, target: true });
      this.pos = i + 1;
      this.state = S.ValueOrEnd;
      return;
    }
    if (onPath && depth < this.path.length && c === 0x7b) {
      this.frames.push({ array: false, depth, target: false });
      this.pos = i + 1;
      this.state = S.KeyOrEnd;
      return;
    }
    this.capture = { kind: "other", start: i, depth: 0, inString: false, literal: false };
    this.startCapture(c);
  }

  private startCapture(c: number): void {
    const cap = this.capture!;
    if (c === 0x7b || c === 0x5b) {
      cap.depth = 1;
      this.pos = cap.start + 1;
    } else if (c === 0x22) {
      cap.inString = true;
      this.pos = cap.start + 1;
    } else {
      cap.literal = true;
      this.pos = cap.start;
    }
  }

  /** Reads on in the value being captured; true when it is complete (and handed over). */
  private scanCapture(): boolean {
    const cap = this.capture!;
    const buf = this.buf;
    const n = buf.length;
    let i = this.pos;
    if (cap.literal) {
      while (i < n && !endsLiteral(buf.charCodeAt(i))) i++;
      this.pos = i;
      if (i >= n) return false;
      this.finishCapture(i);
      return true;
    }
    let depth = cap.depth;
    let inString = cap.inString;
    for (;;) {
      if (inString) {
        // The closing quote: the next " not escaped by an odd run of backslashes.
        let q = buf.indexOf('"', i);
        while (q >= 0) {
          let b = q - 1;
          while (b >= cap.start && buf.charCodeAt(b) === 0x5c) b--;
          if ((q - 1 - b) % 2 === 0) break;
          q = buf.indexOf('"', q + 1);
        }
        if (q < 0) {
          // Resume at the last character, whose escape may depend on what comes.
          this.pos = Math.max(i, n - 1);
          cap.depth = depth;
          cap.inString = true;
          return false;
        }
        i = q + 1;
        inString = false;
        if (depth === 0) {
          this.finishCapture(i);
          return true;
        }
        continue;
      }
      while (i < n) {
        const c = buf.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x7b || c === 0x5b) depth++;
        else if ((c === 0x7d || c === 0x5d) && --depth === 0) {
          this.finishCapture(i + 1);
          return true;
        }
        i++;
      }
      if (i >= n) {
        this.pos = n;
        cap.depth = depth;
        cap.inString = false;
        return false;
      }
      inString = true;
      i++;
    }
  }

  /** The captured value ends before `end`: parsed and handed over. */
  private finishCapture(end: number): void {
    const cap = this.capture!;
    this.capture = undefined;
    this.pos = end;
    const text = this.buf.slice(cap.start, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new JsonSyntaxError(this.base + cap.start + (firstSyntaxError(text) ?? 0), (e as Error).message);
    }
    if (cap.kind === "key") {
      this.keys.push(value as string);
      this.state = S.Colon;
      return;
    }
    if (cap.kind === "element") this.handlers.element(value, this.count++);
    else this.handlers.other?.(this.keys.slice(), value);
    this.afterValue();
  }

  private close(i: number): void {
    this.frames.pop();
    this.pos = i + 1;
    this.afterValue();
  }

  private afterValue(): void {
    const top = this.frames[this.frames.length - 1];
    if (!top) this.state = S.Done;
    else {
      this.state = S.CommaOrEnd;
      if (!top.array) this.keys.length = top.depth + 1;
    }
  }
}
