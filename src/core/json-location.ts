// Where in a JSON file something is, as line and column, so a server owner is pointed at the character
// to fix. jsonc-parser (VS Code's JSON scanner) gives offsets for syntax errors and for a key path the
// same way on every Node version; JSON.parse's messages differ between them and name no line.
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface TextLocation {
  line: number;
  column: number;
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): TextLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const PROBLEM: Record<string, string> = {
  PropertyNameExpected: 'a "name" in double quotes was expected (a trailing comma?)',
  ValueExpected: 'a value was expected (a trailing comma?)',
  CommaExpected: 'a comma is missing',
  ColonExpected: 'a colon is missing',
  CloseBraceExpected: 'a closing } is missing',
  CloseBracketExpected: 'a closing ] is missing',
  EndOfFileExpected: 'there is more text after the end',
  UnexpectedEndOfString: 'a string is not closed',
  InvalidSymbol: 'this is not JSON (single quotes or an unquoted word?)',
  InvalidCommentToken: 'comments are not allowed in JSON',
};

/** The first syntax error of strict JSON (no comments, no trailing commas), or null. */
export function jsonSyntaxError(text: string): (TextLocation & { problem: string }) | null {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return null;
  const name = printParseErrorCode(first.error);
  return { ...lineColumn(text, first.offset), problem: PROBLEM[name] ?? name };
}

/** Where the value at `path` (`['connect', 'timeoutSeconds']`) starts, or null when the text has no such path. */
export function locationOf(text: string, path: readonly (string | number)[]): TextLocation | null {
  const root = parseTree(text);
  if (!root) return null;
  for (let depth = path.length; depth > 0; depth--) {
    const node = findNodeAtLocation(root, path.slice(0, depth) as (string | number)[]);
    if (node) return lineColumn(text, node.offset);
  }
  return null;
}

/** Where the name of the property at `path` starts (`"apikey": ...` points at its opening quote), or null. */
export function keyLocationOf(text: string, path: readonly (string | number)[]): TextLocation | null {
  const root = parseTree(text);
  const property = root ? findNodeAtLocation(root, path as (string | number)[])?.parent : undefined;
  return property && property.type === 'property' ? lineColumn(text, property.offset) : null;
}
