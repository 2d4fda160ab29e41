import { ScimError } from '../errors/scim-error';

/**
 * Tokens shared by the filter and the PATCH path parsers. A `word` is any run of characters other than
 * whitespace, brackets, parentheses and quotes: attribute paths (URNs hold `:` and `.`), operators, `and`/`or`/
 * `not`, `true`/`false`/`null` and numbers all lex as words, and the parser decides what each one may be where
 * it stands. That keeps the lexer trivial and lets the parser say "unknown operator" rather than "bad character".
 */
export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'string'; readonly text: string; readonly value: string; readonly start: number; readonly end: number }
  | { readonly kind: '(' | ')' | '[' | ']'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'end'; readonly text: ''; readonly start: number; readonly end: number };

/** Builds the error for the caller's context: `invalidFilter` for filters, `invalidPath` for PATCH paths. */
export type SyntaxErrorFactory = (detail: string) => ScimError;

const PUNCTUATION = new Set(['(', ')', '[', ']']);
const WHITESPACE = /\s/;

export function tokenize(input: string, syntaxError: SyntaxErrorFactory): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < input.length) {
    const char = input[index];
    if (WHITESPACE.test(char)) {
      index++;
    } else if (char === '(' || char === ')' || char === '[' || char === ']') {
      tokens.push({ kind: char, text: char, start: index, end: index + 1 });
      index++;
    } else if (char === '"') {
      const token = readString(input, index, syntaxError);
      tokens.push(token);
      index = token.end;
    } else {
      const start = index;
      while (index < input.length && !endsWord(input[index])) index++;
      tokens.push({ kind: 'word', text: input.slice(start, index), start, end: index });
    }
  }
  tokens.push({ kind: 'end', text: '', start: input.length, end: input.length });
  return tokens;
}

function endsWord(char: string): boolean {
  return char === '"' || PUNCTUATION.has(char) || WHITESPACE.test(char);
}

function readString(input: string, start: number, syntaxError: SyntaxErrorFactory): Token {
  let index = start + 1;
  while (index < input.length && input[index] !== '"') {
    index += input[index] === '\\' ? 2 : 1;
  }
  if (index >= input.length) {
    throw syntaxError(`Unterminated string starting at column ${start + 1}: expected a closing '"'.`);
  }
  const text = input.slice(start, index + 1);
  // JSON.parse is the decoder RFC 7644 prescribes; hand-written unescaping is where other parsers kept
  // "CONTOSO\\ann" with two backslashes or left \u00e9 undecoded (trap T1).
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw syntaxError(
      `Invalid string at column ${start + 1}: use JSON escapes only (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) and no raw control characters.`,
    );
  }
  return { kind: 'string', text, value: String(value), start, end: index + 1 };
}
