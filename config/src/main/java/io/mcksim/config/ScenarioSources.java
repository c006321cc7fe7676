package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a scenario's text, the file, what it includes and the {@code --set} overrides, within
 * {@link InputLimits}: at most {@link InputLimits#MAX_TEXT_BYTES} in all, read as a stream and never past
 * the limit (an endless file is refused as soon as it exceeds it); UTF-8 text only; each text checked by
 * {@link HoconCheck} before it is parsed. As the parser's includer it reads only files: {@code include
 * url(...)} and {@code classpath(...)} are refused (no network request), and an include that cannot be
 * read is a problem at the including file's line, never silently skipped. Includes nest at most
 * {@link InputLimits#MAX_INCLUDE_DEPTH} deep, and a file cannot include itself. One instance reads one
 * scenario.
 */
final class ScenarioSources implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL,
    ConfigIncluderClasspath {

  /** A problem found while reading an included file; the parser passes it through unchanged. */
  static final class IncludeFailure extends ConfigException {
    private static final long serialVersionUID = 1L;

    private final transient ConfigProblem problem;

    IncludeFailure(ConfigProblem problem) {
      super(problem.toString());
      this.problem = problem;
    }

    ConfigProblem problem() {
      return problem;
    }
  }

  /**
   * A file being parsed: its path and name, the nesting around its include, and its include statements
   * not reached yet.
   */
  private record Open(Path path, String name, int depth, List<HoconCheck.Include> includes) {}

  private final Deque<Open> open = new ArrayDeque<>();
  private final long limit;
  private long bytes;

  /** Sources of a scenario's own text: its file, includes and --set overrides, within the text limit. */
  ScenarioSources() {
    this(InputLimits.MAX_TEXT_BYTES);
  }

  /** Sources of at most {@code limit} bytes of text. */
  ScenarioSources(long limit) {
    this.limit = limit;
  }

  /** The file {@code file}, parsed; a problem with it or with anything it includes throws. */
  Config parseFile(Path file) {
    String name = file.toString();
    return parse(file, name, 0, read(file, name, name));
  }

  /** Text given directly (a {@code --set}, the text a worker JVM receives), named {@code name}. */
  Config parseText(String text, String name) {
    budget(text.length(), name);
    return parse(null, name, 0, text);
  }

  private Config parse(Path file, String name, int depth, String text) {
    HoconCheck.Result check = HoconCheck.check(text, depth, line -> file == null ? name : name + ":" + line);
    if (!check.problems().isEmpty()) {
      throw new IncludeFailure(check.problems().get(0));
    }
    open.push(new Open(file, name, depth, new ArrayList<>(check.includes())));
    try {
      return PiecewiseParser.parse(text, name,
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false).setIncluder(this));
    } finally {
      open.pop();
    }
  }

  /**
   * The text of {@code file}, read as UTF-8 up to the limit. {@code place} is where the file was named
   * (itself, or an include statement's file:line).
   */
  private String read(Path file, String name, String place) {
    if (Files.isDirectory(file)) {
      throw failure(place, name + " is a folder, not a scenario file; give the path of a .conf file");
    }
    if (!Files.exists(file)) {
      throw failure(place, "no such file " + name);
    }
    if (!Files.isRegularFile(file)) {
      throw failure(place, name + " is not a regular file (a device or a pipe); give the path of a .conf file");
    }
    long left = limit - bytes;
    byte[] data;
    try (InputStream in = Files.newInputStream(file)) {
      data = in.readNBytes((int) Math.min(Integer.MAX_VALUE, left + 1));
    } catch (IOException e) {
      throw failure(place, "cannot read " + name + ": " + e.getMessage());
    }
    budget(data.length, name);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
    } catch (CharacterCodingException e) {
      throw failure(place, name + " is not UTF-8 text (a binary file?); a scenario is a HOCON text file");
    }
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      int line = 1 + (int) text.substring(0, nul).chars().filter(c -> c == '\n').count();
      throw failure(name + ":" + line, "a NUL character: this is not a text file; a scenario is a HOCON text file");
    }
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private void budget(long more, String name) {
    bytes += more;
    if (bytes > limit) {
      throw failure(name, "the scenario's text (its file, what it includes and the --set overrides) is more"
          + " than " + limit / 1024 + " KiB; a scenario is far smaller (is this the right file?)");
    }
  }

  private static IncludeFailure failure(String place, String message) {
    return new IncludeFailure(new ConfigProblem(place, "(file)", message));
  }

  // --- the parser's includer ---

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    return this;
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    return includeFile("file", what);
  }

  @Override
  public ConfigObject includeFile(ConfigIncludeContext context, File what) {
    return includeFile("file", what.getPath());
  }

  @Override
  public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
    throw failure(place(statement("url", what.toString())), "include url(" + what + "): a scenario cannot"
        + " include from the network; download the file and include it by its path");
  }

  @Override
  public ConfigObject includeResources(ConfigIncludeContext context, String what) {
    throw failure(place(statement("classpath", what)), "include classpath(" + what + "): a scenario includes"
        + " files only; include it by its path");
  }

  /** Includes the file {@code what}, relative to the folder of the file that includes it. */
  private ConfigObject includeFile(String kind, String what) {
    HoconCheck.Include statement = statement(kind, what);
    String place = place(statement);
    Open including = open.peek();
    Path base = including == null || including.path() == null ? Path.of("") : parent(including.path());
    Path file = base.resolve(what);
    if (!Files.exists(file) && !what.contains(".") && Files.exists(base.resolve(what + ".conf"))) {
      file = base.resolve(what + ".conf");
    }
    if (!Files.exists(file)) {
      throw failure(place, "include \"" + what + "\": no such file " + file
          + (including != null && including.path() != null ? " (an include is relative to the folder of the file"
          + " that includes it)" : ""));
    }
    if (open.size() > InputLimits.MAX_INCLUDE_DEPTH) {
      throw failure(place, "include \"" + what + "\": includes nest more than " + InputLimits.MAX_INCLUDE_DEPTH
          + " deep (" + chain(file) + ")");
    }
    for (Open o : open) {
      if (o.path() != null && same(o.path(), file)) {
        throw failure(place, "include \"" + what + "\": a file cannot include itself (" + chain(file) + ")");
      }
    }
    String name = file.toString();
    int depth = (including == null ? 0 : including.depth()) + (statement == null ? 0 : statement.depth());
    return parse(file, name, depth, read(file, name, place)).root();
  }

  /** The include statement of the file being parsed that names {@code what} (taken off its list), or null. */
  private HoconCheck.Include statement(String kind, String what) {
    Open including = open.peek();
    for (int i = 0; including != null && i < including.includes().size(); i++) {
      HoconCheck.Include inc = including.includes().get(i);
      if (inc.kind().equals(kind) && inc.name().equals(what)) {
        return including.includes().remove(i);
      }
    }
    return null;
  }

  /** file:line of {@code statement} in the file being parsed (its name alone when the line is not known). */
  private String place(HoconCheck.Include statement) {
    Open including = open.peek();
    if (including == null) {
      return "(include)";
    }
    return including.path() == null || statement == null ? including.name()
        : including.name() + ":" + statement.line();
  }

  private String chain(Path last) {
    List<String> names = new ArrayList<>();
    open.descendingIterator().forEachRemaining(o -> names.add(o.name()));
    names.add(last.toString());
    return names.stream().collect(Collectors.joining(" includes "));
  }

  private static Path parent(Path file) {
    Path p = file.getParent();
    return p == null ? Path.of("") : p;
  }

  private static boolean same(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** Every problem an include raised, found in {@code e} or its causes; null when there is none. */
  static ConfigProblem problemOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IncludeFailure f) {
        return f.problem();
      }
    }
    return null;
  }
}
