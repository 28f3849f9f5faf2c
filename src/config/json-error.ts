/**
 * Where a JSON text stops being JSON, and what is wrong there, without a
 * character of the text: Node's own message quotes the file around the fault
 * ("Unexpected token ... "{"url": "postgres://app:hunter2"... is not valid
 * JSON"), which for a config file is the password. A small strict scanner
 * (RFC 8259) that runs only once JSON.parse has failed.
 */

export interface JsonFault {
  line: number;
  column: number;
  what: string;
}

class Fault extends Error {
  constructor(
    readonly at: number,
    readonly what: string,
  ) {
    super(what);
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);

/** What kind of character is at a place, in words (never the character itself). */
function kind(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the file';
  if (/\p{L}/u.test(ch)) return 'a letter';
  if (/[0-9]/.test(ch)) return 'a digit';
  if (ch === "'") return 'a single quote (JSON strings take double quotes)';
  if (/[\s]/.test(ch)) return 'a space';
  return 'a punctuation character';
}

function scan(text: string): void {
  let i = 0;
  const fail = (what: string, at = i): never => {
    throw new Fault(at, what);
  };
  const skip = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  const expect = (what: string) => fail(`expected ${what}, found ${kind(text[i])}`);

  const string = () => {
    i++; // opening quote
    for (;;) {
      const ch = text[i];
      if (ch === undefined) fail('a string is not closed by a double quote');
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\n' || ch === '\r') fail('a string runs past the end of its line (not closed by a double quote?)');
      if (ch! < ' ') fail('a control character inside a string (write it as an escape)');
      if (ch === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('a \\u escape without four hexadecimal digits');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('an invalid escape in a string (a backslash must be written \\\\)');
        i += 2;
        continue;
      }
      i++;
    }
  };

  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m || !m[0] || m[0] === '-') fail('an invalid number');
    i += m![0].length;
  };

  const value = (): void => {
    skip();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    expect('a value (a string in double quotes, a number, an object, an array, true, false or null)');
  };

  const object = () => {
    i++;
    skip();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skip();
      if (text[i] !== '"') expect(text[i] === '}' ? 'a property name after the comma (JSON allows no trailing comma)' : 'a property name in double quotes');
      string();
      skip();
      if (text[i] !== ':') expect("':' after the property name");
      i++;
      value();
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      expect("',' or '}' after a property value");
    }
  };

  const array = () => {
    i++;
    skip();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      skip();
      if (text[i] === ',') {
        i++;
        skip();
        if (text[i] === ']') expect('a value after the comma (JSON allows no trailing comma)');
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      expect("',' or ']' after a value");
    }
  };

  if (text.charCodeAt(0) === 0xfeff) i++; // a byte order mark
  value();
  skip();
  if (i < text.length) fail('more text after the end of the JSON value');
}

/** The first fault of a text that is not JSON (1-based line and column), or null when it is JSON. */
export function jsonFault(text: string): JsonFault | null {
  try {
    scan(text);
    return null;
  } catch (err) {
    if (!(err instanceof Fault)) throw err;
    const before = text.slice(0, err.at);
    const line = before.split('\n').length;
    const column = err.at - (before.lastIndexOf('\n') + 1) + 1;
    return { line, column, what: err.what };
  }
}
