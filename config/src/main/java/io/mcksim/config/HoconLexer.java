package io.mcksim.config;

/**
 * A cursor over HOCON text that sees only what shapes it: brackets, separators, newlines and commas,
 * with quoted strings, comments and {@code ${...}} substitutions each stepped over whole. It never
 * recurses and never allocates per character, so a scan is linear in the text whatever its nesting; it
 * is what {@link HoconCheck} and {@link PiecewiseParser} read the text with before the real parser does.
 */
final class HoconLexer {

  /** What {@link #next} found. */
  enum Kind {
    /** {@code {} */ OPEN_BRACE,
    /** {@code }} */ CLOSE_BRACE,
    /** {@code [} */ OPEN_BRACKET,
    /** {@code ]} */ CLOSE_BRACKET,
    /** {@code =}, {@code :} or {@code +=} */ SEPARATOR,
    NEWLINE,
    COMMA,
    /** a quoted or triple-quoted string */ STRING,
    /** {@code ${path}} or {@code ${?path}} */ SUBSTITUTION,
    /** a run of unquoted characters */ TEXT,
    /** a string or substitution left open; {@link #error} says which */ ERROR,
    END
  }

  private final String text;
  private final int end;
  private int pos;
  private int line;

  /** Start offset and line of the token {@link #next} returned last. */
  private int tokenStart;
  private int tokenLine;
  private String error;

  HoconLexer(String text, int from, int to, int firstLine) {
    this.text = text;
    this.pos = from;
    this.end = to;
    this.line = firstLine;
  }

  int tokenStart() {
    return tokenStart;
  }

  int tokenLine() {
    return tokenLine;
  }

  /** Offset just after the token {@link #next} returned last. */
  int tokenEnd() {
    return pos;
  }

  /** The line the cursor is on (after the last token). */
  int line() {
    return line;
  }

  String error() {
    return error;
  }

  /** The next token, skipping spaces and comments. */
  Kind next() {
    skipSpaceAndComments();
    tokenStart = pos;
    tokenLine = line;
    if (pos >= end) {
      return Kind.END;
    }
    char c = text.charAt(pos);
    switch (c) {
      case '\n' -> {
        pos++;
        line++;
        return Kind.NEWLINE;
      }
      case '{' -> {
        pos++;
        return Kind.OPEN_BRACE;
      }
      case '}' -> {
        pos++;
        return Kind.CLOSE_BRACE;
      }
      case '[' -> {
        pos++;
        return Kind.OPEN_BRACKET;
      }
      case ']' -> {
        pos++;
        return Kind.CLOSE_BRACKET;
      }
      case ',' -> {
        pos++;
        return Kind.COMMA;
      }
      case '=', ':' -> {
        pos++;
        return Kind.SEPARATOR;
      }
      case '"' -> {
        return string();
      }
      default -> {
        if (c == '+' && at(pos + 1, '=')) {
          pos += 2;
          return Kind.SEPARATOR;
        }
        if (c == '$' && at(pos + 1, '{')) {
          return substitution();
        }
        return unquoted();
      }
    }
  }

  private boolean at(int i, char c) {
    return i < end && text.charAt(i) == c;
  }

  private static boolean space(char c) {
    return c != '\n' && (c == ' ' || c == '\t' || c == '\r' || c == '\uFEFF' || Character.isSpaceChar(c)
        || Character.isWhitespace(c));
  }

  private void skipSpaceAndComments() {
    while (pos < end) {
      char c = text.charAt(pos);
      if (space(c)) {
        pos++;
      } else if (c == '#' || (c == '/' && at(pos + 1, '/'))) {
        while (pos < end && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private Kind string() {
    if (at(pos + 1, '"') && at(pos + 2, '"')) {
      pos += 3;
      while (pos < end) {
        char c = text.charAt(pos);
        if (c == '"' && at(pos + 1, '"') && at(pos + 2, '"')) {
          pos += 3;
          while (at(pos, '"')) { // a run of more than three quotes ends with its last three
            pos++;
          }
          return Kind.STRING;
        }
        if (c == '\n') {
          line++;
        }
        pos++;
      }
      return fail("a string opened with \"\"\" is never closed");
    }
    pos++;
    while (pos < end) {
      char c = text.charAt(pos);
      if (c == '\\') {
        pos += 2;
        continue;
      }
      if (c == '"') {
        pos++;
        return Kind.STRING;
      }
      if (c == '\n') {
        return fail("a quoted string is not closed on its line (a string cannot span lines; use \"\"\" for that)");
      }
      pos++;
    }
    return fail("a quoted string is never closed");
  }

  private Kind substitution() {
    pos += 2;
    while (pos < end) {
      char c = text.charAt(pos);
      if (c == '}') {
        pos++;
        return Kind.SUBSTITUTION;
      }
      if (c == '"') {
        Kind k = string();
        if (k == Kind.ERROR) {
          return k;
        }
        continue;
      }
      if (c == '\n') {
        break;
      }
      pos++;
    }
    return fail("a substitution ${...} is not closed on its line");
  }

  private Kind unquoted() {
    while (pos < end) {
      char c = text.charAt(pos);
      if (space(c) || c == '\n' || c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == '='
          || c == ':' || c == '"' || c == '#' || (c == '/' && at(pos + 1, '/')) || (c == '+' && at(pos + 1, '='))
          || (c == '$' && at(pos + 1, '{'))) {
        break;
      }
      pos++;
    }
    return Kind.TEXT;
  }

  private Kind fail(String message) {
    error = message;
    pos = end;
    return Kind.ERROR;
  }
}
