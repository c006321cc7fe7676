package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses HOCON text in linear time. The HOCON parser merges each field of an object into the fields
 * before it by copying them, so 20,000 dotted keys under one object cost 200 million copies; here an
 * object of more than {@link InputLimits#FIELDS_PER_PIECE} fields is cut into pieces of that many fields
 * (nested objects too, each piece wrapped in its keys), each piece is parsed alone, and the pieces are
 * merged pairwise with {@code withFallback}, the associative merge the parser itself applies field after
 * field. Each piece's origin carries the line it starts at, so values keep their file and line
 * ({@link ConfigProblem#placeOf} adds it back). Text of few fields is parsed whole, as it is.
 */
final class PiecewiseParser {

  private PiecewiseParser() {}

  /** Marks a line offset in an origin description: {@code NAME MARK OFFSET}, see {@link ConfigProblem#placeOf}. */
  static final char LINE_OFFSET = '\u0001';

  /** An object field whose inside is longer than this is cut into pieces of its own. */
  private static final int SPLIT_CHARS = 16 * 1024;

  private static final Pattern KEY = Pattern.compile("(?:[A-Za-z0-9_.-]+|\"(?:[^\"\\\\\\n]|\\\\.)*\")+");

  /** A run of consecutive fields [from, to) starting at {@code line}, inside the objects {@code keys}. */
  private record Piece(List<String> keys, int from, int to, int line) {}

  /** A field [from, to) at {@code line}; for {@code KEY { ... }}, its key and the object's inside. */
  private record Field(int from, int to, int line, String key, int innerFrom, int innerTo, int innerLine) {}

  /**
   * Parses {@code text}, named {@code name} in origins, with {@code options} (its includer, its syntax).
   * Throws what the parser throws for bad text, with the right line.
   */
  static Config parse(String text, String name, ConfigParseOptions options) {
    List<Piece> pieces = new ArrayList<>();
    int[] root = rootSpan(text);
    if (root != null) {
      pieces(text, root[0], root[1], root[2], List.of(), pieces);
    }
    if (pieces.size() <= 1) {
      return ConfigFactory.parseString(text, options.setOriginDescription(name));
    }
    List<Config> parsed = new ArrayList<>(pieces.size());
    for (Piece p : pieces) {
      StringBuilder sb = new StringBuilder(p.to() - p.from() + 64);
      for (String key : p.keys()) {
        sb.append(key).append(" { ");
      }
      sb.append(text, p.from(), p.to()).append('\n');
      sb.append("}".repeat(p.keys().size()));
      String origin = p.line() == 1 ? name : name + LINE_OFFSET + (p.line() - 1);
      parsed.add(ConfigFactory.parseString(sb.toString(), options.setOriginDescription(origin)));
    }
    return merge(parsed, 0, parsed.size());
  }

  /** The pieces [from, to) merged, later ones winning, in a balanced tree of merges. */
  private static Config merge(List<Config> parsed, int from, int to) {
    if (to - from == 1) {
      return parsed.get(from);
    }
    int mid = (from + to) >>> 1;
    return merge(parsed, mid, to).withFallback(merge(parsed, from, mid));
  }

  /**
   * The root object's inside: the whole text, or inside its braces when the text is one braced object.
   * As {from, to, line}, or null when there is nothing to cut (a lexing error the parser reports).
   */
  private static int[] rootSpan(String text) {
    HoconLexer lexer = new HoconLexer(text, 0, text.length(), 1);
    HoconLexer.Kind k;
    do {
      k = lexer.next();
    } while (k == HoconLexer.Kind.NEWLINE);
    if (k != HoconLexer.Kind.OPEN_BRACE) {
      return new int[] {0, text.length(), 1};
    }
    int from = lexer.tokenEnd();
    int line = lexer.line();
    int depth = 1;
    while (depth > 0) {
      k = lexer.next();
      switch (k) {
        case OPEN_BRACE, OPEN_BRACKET -> depth++;
        case CLOSE_BRACE, CLOSE_BRACKET -> depth--;
        case END, ERROR -> {
          return null;
        }
        default -> { }
      }
    }
    int to = lexer.tokenStart();
    do {
      k = lexer.next();
    } while (k == HoconLexer.Kind.NEWLINE);
    return k == HoconLexer.Kind.END ? new int[] {from, to, line} : new int[] {0, text.length(), 1};
  }

  /**
   * Cuts the fields of the object inside [from, to) into pieces: runs of at most
   * {@link InputLimits#FIELDS_PER_PIECE} fields, and the pieces of each large object field, cut the same
   * way inside its key.
   */
  private static void pieces(String text, int from, int to, int line, List<String> keys, List<Piece> out) {
    List<Field> fields = fields(text, from, to, line);
    int groupStart = -1;
    int count = 0;
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      if (f.key() != null && f.innerTo() - f.innerFrom() > SPLIT_CHARS) {
        flush(fields, groupStart, i, keys, out);
        groupStart = -1;
        count = 0;
        List<String> inner = new ArrayList<>(keys);
        inner.add(f.key());
        pieces(text, f.innerFrom(), f.innerTo(), f.innerLine(), List.copyOf(inner), out);
        continue;
      }
      if (groupStart < 0) {
        groupStart = i;
      }
      if (++count == InputLimits.FIELDS_PER_PIECE) {
        flush(fields, groupStart, i + 1, keys, out);
        groupStart = -1;
        count = 0;
      }
    }
    flush(fields, groupStart, fields.size(), keys, out);
  }

  private static void flush(List<Field> fields, int first, int end, List<String> keys, List<Piece> out) {
    if (first >= 0 && first < end) {
      out.add(new Piece(keys, fields.get(first).from(), fields.get(end - 1).to(), fields.get(first).line()));
    }
  }

  /** Where a field is: before its separator, after it, or in its value. */
  private enum State { START, KEY, SEPARATOR, VALUE }

  /**
   * The fields of the object inside [from, to), at its own level: a field ends at a comma, or at a
   * newline once its value has begun (a key and its value may be on different lines, as may a
   * separator and its value). An include statement is a field of its own line.
   */
  private static List<Field> fields(String text, int from, int to, int line) {
    List<Field> out = new ArrayList<>();
    HoconLexer lexer = new HoconLexer(text, from, to, line);
    int depth = 0;
    State state = State.START;
    int start = 0;
    int startLine = 0;
    int last = 0;
    // a value that is one object: where its inside starts and ends (innerTo < 0: not closed yet)
    boolean object = false;
    int innerFrom = 0;
    int innerLine = 0;
    int innerTo = -1;
    while (true) {
      HoconLexer.Kind k = lexer.next();
      if (k == HoconLexer.Kind.END || k == HoconLexer.Kind.ERROR) {
        break;
      }
      if (depth == 0 && state != State.START && (k == HoconLexer.Kind.COMMA
          || (k == HoconLexer.Kind.NEWLINE && (state == State.VALUE || isInclude(text, start, last))))) {
        out.add(field(text, start, last, startLine, object && innerTo >= 0, innerFrom, innerTo, innerLine));
        state = State.START;
        continue;
      }
      if (k == HoconLexer.Kind.NEWLINE || k == HoconLexer.Kind.COMMA) {
        continue;
      }
      if (state == State.START) {
        state = State.KEY;
        start = lexer.tokenStart();
        startLine = lexer.tokenLine();
        object = false;
        innerTo = -1;
      }
      if (depth == 0) {
        boolean opensObject = k == HoconLexer.Kind.OPEN_BRACE;
        if (state == State.KEY && k == HoconLexer.Kind.SEPARATOR) {
          state = State.SEPARATOR;
        } else if ((state == State.KEY && (opensObject || k == HoconLexer.Kind.OPEN_BRACKET))
            || state == State.SEPARATOR) {
          state = State.VALUE;
          object = opensObject;
          innerFrom = lexer.tokenEnd();
          innerLine = lexer.tokenLine();
        } else if (state == State.VALUE) {
          object = false; // more than one object: a concatenation
        }
      }
      switch (k) {
        case OPEN_BRACE, OPEN_BRACKET -> depth++;
        case CLOSE_BRACE, CLOSE_BRACKET -> {
          depth--;
          if (depth == 0 && object) {
            innerTo = lexer.tokenStart();
          }
        }
        default -> { }
      }
      last = lexer.tokenEnd();
      if (depth < 0) {
        return List.of(); // unbalanced: the parser reports it
      }
    }
    if (state != State.START) {
      out.add(field(text, start, last, startLine, object && innerTo >= 0, innerFrom, innerTo, innerLine));
    }
    return out;
  }

  private static Field field(String text, int from, int to, int line, boolean object, int innerFrom, int innerTo,
      int innerLine) {
    if (object) {
      String key = text.substring(from, innerFrom - 1).strip();
      if (key.endsWith("=") || key.endsWith(":")) {
        key = key.substring(0, key.length() - 1).strip();
      }
      if (KEY.matcher(key).matches() && !key.equals("include")) {
        return new Field(from, to, line, key, innerFrom, innerTo, innerLine);
      }
    }
    return new Field(from, to, line, null, 0, 0, 0);
  }

  private static boolean isInclude(String text, int from, int to) {
    return to - from > 8 && text.startsWith("include", from) && Character.isWhitespace(text.charAt(from + 7));
  }
}
