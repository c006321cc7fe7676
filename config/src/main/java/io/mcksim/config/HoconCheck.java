package io.mcksim.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks one file's HOCON text before the parser sees it, in one pass that neither recurses nor
 * allocates per level: braces and brackets balanced and nested at most {@link InputLimits#MAX_NESTING}
 * deep (the parser recurses per level, and a deep enough input would overflow its stack), strings and
 * substitutions closed. It also lists the file's {@code include} statements with their lines, so that an
 * include that cannot be read is reported where it is written.
 */
final class HoconCheck {

  private HoconCheck() {}

  /**
   * An {@code include} statement: its line, its kind ({@code file}, {@code url} or {@code classpath}), its
   * name, and the nesting it stands in (from the file's top), which the included file's nesting adds to.
   */
  record Include(int line, String kind, String name, int depth) {}

  /** What the check found: problems (at most one: the scan stops at the first) and the includes. */
  record Result(List<ConfigProblem> problems, List<Include> includes) {}

  private static final Pattern INCLUDE = Pattern.compile(
      "include\\s+(?:required\\s*\\(\\s*)?(?:(url|file|classpath)\\s*\\(\\s*)?(\"(?:[^\"\\\\]|\\\\.)*\")\\s*\\)?\\s*\\)?\\s*");

  /**
   * Checks {@code text}, which stands {@code outerDepth} levels deep (the nesting around the include of
   * it); {@code place} names a line of it in problems, such as {@code s.conf:3}.
   */
  static Result check(String text, int outerDepth, IntFunction<String> place) {
    int limit = InputLimits.MAX_NESTING - outerDepth;
    List<Include> includes = new ArrayList<>();
    // the open brackets: their characters and lines, as a stack in two arrays
    char[] open = new char[InputLimits.MAX_NESTING + 1];
    int[] openLine = new int[InputLimits.MAX_NESTING + 1];
    int depth = 0;
    boolean fieldStart = true;
    HoconLexer lexer = new HoconLexer(text, 0, text.length(), 1);
    while (true) {
      HoconLexer.Kind k = lexer.next();
      int line = lexer.tokenLine();
      switch (k) {
        case END -> {
          if (depth > 0) {
            return failed(place, openLine[depth - 1], "the " + what(open[depth - 1]) + " '" + open[depth - 1]
                + "' opened here is never closed (add its '" + closer(open[depth - 1]) + "')");
          }
          return new Result(List.of(), includes);
        }
        case ERROR -> {
          return failed(place, line, lexer.error());
        }
        case OPEN_BRACE, OPEN_BRACKET -> {
          if (depth >= limit) {
            return failed(place, line, "braces and brackets nest more than " + InputLimits.MAX_NESTING
                + " levels deep here" + (outerDepth > 0 ? " (with the " + outerDepth + " around the include of this"
                + " file)" : "") + "; a scenario nests a few (flatten it, or use dotted keys such as a.b.c = 1)");
          }
          open[depth] = text.charAt(lexer.tokenStart());
          openLine[depth] = line;
          depth++;
        }
        case CLOSE_BRACE, CLOSE_BRACKET -> {
          char c = text.charAt(lexer.tokenStart());
          if (depth == 0) {
            return failed(place, line, "a closing " + what(c) + " '" + c + "' with no open "
                + what(c) + " '" + opener(c) + "' before it");
          }
          if (closer(open[depth - 1]) != c) {
            return failed(place, line, "a closing " + what(c) + " '" + c + "' where the "
                + what(open[depth - 1]) + " '" + open[depth - 1] + "' opened at line " + openLine[depth - 1]
                + " is still open (close it with '" + closer(open[depth - 1]) + "' first)");
          }
          depth--;
        }
        case TEXT -> {
          boolean inObject = depth == 0 || open[depth - 1] == '{';
          if (fieldStart && inObject && text.startsWith("include", lexer.tokenStart())
              && lexer.tokenEnd() - lexer.tokenStart() == "include".length()) {
            Include inc = include(text, lexer.tokenStart(), line, depth);
            if (inc != null) {
              includes.add(inc);
            }
          }
        }
        default -> { }
      }
      fieldStart = k == HoconLexer.Kind.NEWLINE || k == HoconLexer.Kind.COMMA || k == HoconLexer.Kind.OPEN_BRACE;
    }
  }

  /** The include statement starting at {@code from}, or null when it is not one. */
  private static Include include(String text, int from, int line, int depth) {
    int eol = text.indexOf('\n', from);
    Matcher m = INCLUDE.matcher(text.substring(from, eol < 0 ? text.length() : eol));
    if (!m.lookingAt()) {
      return null;
    }
    String kind = m.group(1) == null ? "file" : m.group(1);
    return new Include(line, kind, unquote(m.group(2)), depth);
  }

  /** A JSON string's value. */
  static String unquote(String quoted) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < quoted.length() - 1; i++) {
      char c = quoted.charAt(i);
      if (c == '\\' && i + 1 < quoted.length() - 1) {
        char e = quoted.charAt(++i);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 4 < quoted.length()) {
              try {
                sb.append((char) Integer.parseInt(quoted.substring(i + 1, i + 5), 16));
                i += 4;
              } catch (NumberFormatException x) {
                sb.append(e);
              }
            }
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String what(char c) {
    return c == '{' || c == '}' ? "brace" : "bracket";
  }

  private static char closer(char open) {
    return open == '{' ? '}' : ']';
  }

  private static char opener(char close) {
    return close == '}' ? '{' : '[';
  }

  private static Result failed(IntFunction<String> place, int line, String message) {
    return new Result(List.of(new ConfigProblem(place.apply(line), "(syntax)", message)), List.of());
  }
}
