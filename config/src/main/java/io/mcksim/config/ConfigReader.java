package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of user input in HOCON that record a problem, with the file:line of the value and its key
 * path, instead of throwing, so that every problem of the input is reported at once. The scenario's
 * schemas and the program reader read through it.
 *
 * <p>A reader reads one object: the whole input, or an object within it ({@link #object}), whose key path
 * (such as {@code machine.numa[1]} or {@code workload.programs[0].ops[2]}) prefixes the keys its problems
 * name. It reads in two ways:
 *
 * <ul>
 *   <li>keys of a scenario, by path ({@link #intIn}, {@link #duration}, {@link #oneOf}, ...): the key has
 *       a default, so a read always returns a value, the least valid one after a problem, and the schema
 *       goes on reading; messages show a value as written ({@link #shown});
 *   <li>fields of an object such as a program's op, by key ({@link #wholeField}, {@link #quantityField},
 *       {@link #durationField}, {@link #keywordField}): a field may be optional or required, and a read
 *       returns null after a problem; messages show strings without their quotes ({@link #unquoted}).
 * </ul>
 */
public final class ConfigReader {

  private static final Pattern BARE_NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** A whole number as a field takes it: decimal or 0x hexadecimal, with a binary unit where allowed. */
  private static final Pattern QUANTITY = Pattern.compile(
      "([+-]?)(0[xX][0-9a-fA-F]+|[0-9]+)\\s*(?:([kKmMgGtT])(?:i?B)?|B)?");

  private final Config config;
  private final List<ConfigProblem> problems;
  /** Key path of {@link #config} within the input, e.g. {@code machine.numa[1].}; else empty. */
  private final String prefix;

  /** A reader of {@code config} at the root of the input, adding its problems to {@code problems}. */
  public ConfigReader(Config config, List<ConfigProblem> problems) {
    this(config, problems, "");
  }

  private ConfigReader(Config config, List<ConfigProblem> problems, String prefix) {
    this.config = config;
    this.problems = problems;
    this.prefix = prefix;
  }

  /** A reader of {@code object}, which sits at key path {@code path} below this reader's object. */
  public ConfigReader object(ConfigObject object, String path) {
    return new ConfigReader(object.toConfig(), problems, prefix + path + ".");
  }

  /** The key path of {@code key} below this reader's object, as its problems name it. */
  public String pathOf(String key) {
    return prefix + key;
  }

  // ---- problems and where they are ----

  /** Problems recorded so far, by every reader of this input. */
  public int problemCount() {
    return problems.size();
  }

  /** Records a problem at {@code value}'s origin, for the key {@code path} below this reader's object. */
  public void problem(ConfigValue value, String path, String message) {
    problem(value.origin(), path, message);
  }

  /** Records a problem at {@code origin}, for the key {@code path} below this reader's object. */
  public void problem(ConfigOrigin origin, String path, String message) {
    problems.add(new ConfigProblem(where(origin), prefix + path, message));
  }

  /**
   * Records a problem with the value at {@code path} (or, when it is null or missing, with what stands in
   * its place); once for its whole section instead, if the section was set to a non-object.
   */
  public void bad(String path, String message) {
    if (sectionReplaced(path)) {
      return;
    }
    String origin;
    try {
      origin = where(config.getValue(path).origin());
    } catch (ConfigException e) { // null, or a parent replaced by a non-object: blame that value
      origin = where(e.origin());
    }
    problems.add(new ConfigProblem(origin, prefix + path, message));
  }

  /**
   * Whether the section holding {@code path} (e.g. {@code run} for {@code run.seed}) was set to a
   * non-object such as {@code run = 5} or {@code run = null}; if so, records that once for the section
   * instead of one problem per key in it.
   */
  private boolean sectionReplaced(String path) {
    int dot = path.lastIndexOf('.');
    if (dot < 0) {
      return false;
    }
    String section = path.substring(0, dot);
    String origin;
    String got;
    try {
      ConfigValue v = config.getValue(section);
      if (v.valueType() == ConfigValueType.OBJECT) {
        return false;
      }
      origin = where(v.origin());
      got = shown(v);
    } catch (ConfigException.Null e) {
      origin = where(e.origin());
      got = "null";
    } catch (ConfigException e) {
      return false;
    }
    ConfigProblem p = new ConfigProblem(origin, section,
        "expected a section of keys, e.g. " + section + " { ... }, got " + got);
    if (!problems.contains(p)) {
      problems.add(p);
    }
    return true;
  }

  /** Where a value came from; see {@link ConfigProblem#placeOf}. */
  public static String where(ConfigOrigin origin) {
    return ConfigProblem.placeOf(origin);
  }

  /** A value as a scenario's messages show it: as written, cut at 100 characters. */
  public static String shown(ConfigValue v) {
    String s = v.render(ConfigRenderOptions.concise());
    return s.length() <= 100 ? s : s.substring(0, 96) + " ...";
  }

  /** A value as a field's messages show it: as written, strings without their quotes. */
  public static String unquoted(ConfigValue v) {
    if (v.valueType() == ConfigValueType.NULL) {
      return "null";
    }
    return v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : v.render(ConfigRenderOptions.concise());
  }

  /** The value at {@code path} as written, for messages; never throws (a null value or a missing one has no value). */
  private String rendered(String path) {
    try {
      return shown(config.getValue(path));
    } catch (ConfigException.Null e) {
      return "null";
    } catch (ConfigException e) {
      return "no value (" + ConfigProblem.of(e).message() + ")";
    }
  }

  // ---- keys of a scenario ----

  /**
   * Readers for the objects of a list such as {@code machine.numa}, each reporting under
   * {@code path[i].}; unknown keys in an element are problems too, and so are missing ones.
   */
  List<ConfigReader> objects(String path, Set<String> keys) {
    return objects(path, keys, Set.of());
  }

  /** Like {@link #objects(String, Set)}, the keys of {@code optional} (among {@code keys}) may be absent. */
  List<ConfigReader> objects(String path, Set<String> keys, Set<String> optional) {
    List<ConfigReader> out = new ArrayList<>();
    List<? extends ConfigValue> list;
    try {
      list = config.getList(path);
    } catch (ConfigException e) {
      bad(path, "expected a list of objects [ { ... }, ... ], got " + rendered(path));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      ConfigValue v = list.get(i);
      String at = path + "[" + i + "]";
      if (v.valueType() != ConfigValueType.OBJECT) {
        problem(v, at, "expected an object with keys " + new TreeSet<>(keys) + ", got " + shown(v));
        continue;
      }
      ConfigReader r = object((ConfigObject) v, at);
      for (Map.Entry<String, ConfigValue> e : r.config.entrySet()) {
        if (!keys.contains(e.getKey())) {
          problem(e.getValue(), at + "." + e.getKey(), "unknown key; known keys here: " + new TreeSet<>(keys));
        }
      }
      boolean complete = true;
      for (String k : new TreeSet<>(keys)) {
        if (!optional.contains(k) && !r.config.hasPathOrNull(k)) {
          problem(v, at + "." + k, "missing");
          complete = false;
        }
      }
      if (complete) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * A whole number, or null after recording a problem; fractions are rejected, not truncated, and a
   * number beyond a 64-bit integer is out of {@code range} (such as {@code 1-4096}).
   */
  private Long whole(String path, String range) {
    Number n;
    try {
      n = config.getNumber(path);
    } catch (ConfigException e) {
      n = null;
    }
    if (n instanceof Integer || n instanceof Long) {
      return n.longValue();
    }
    if (n != null && n.doubleValue() == Math.rint(n.doubleValue())) {
      if (Math.abs(n.doubleValue()) < 0x1p63) {
        return n.longValue();
      }
      bad(path, rendered(path) + " is out of range; expected " + range);
      return null;
    }
    bad(path, "expected a whole number" + (range.isEmpty() ? "" : " in " + range) + ", got " + rendered(path));
    return null;
  }

  long longValue(String path) {
    Long v = whole(path, "");
    return v == null ? 0 : v;
  }

  int intIn(String path, int min, int max) {
    String range = range(min, max);
    Long w = whole(path, range);
    if (w == null) {
      return min;
    }
    long v = w;
    if (v < min || v > max) {
      bad(path, v + " is out of range; expected " + range);
      return min;
    }
    return (int) v;
  }

  private static String range(long min, long max) {
    return max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? min + " or more" : min + "-" + max;
  }

  double doubleIn(String path, double min, double max) {
    double v;
    try {
      v = config.getDouble(path);
    } catch (ConfigException e) {
      bad(path, "expected a number, got " + rendered(path));
      return min;
    }
    if (!(v >= min && v <= max)) {
      bad(path, v + " is out of range; expected a number in [" + min + ", " + max + "]");
      return min;
    }
    return v;
  }

  String oneOf(String path, Set<String> allowed) {
    String v;
    try {
      v = config.getString(path);
    } catch (ConfigException e) {
      bad(path, "expected one of " + new TreeSet<>(allowed));
      return allowed.iterator().next();
    }
    if (!allowed.contains(v)) {
      bad(path, "'" + v + "' is not one of " + new TreeSet<>(allowed));
    }
    return v;
  }

  List<String> strings(String path) {
    try {
      return config.getStringList(path);
    } catch (ConfigException e) {
      bad(path, "expected a list of names such as [getpid, write], got " + rendered(path));
      return List.of();
    }
  }

  /** A non-empty list of at most {@code maxSize} whole numbers, each in [min, max]. */
  List<Integer> ints(String path, int min, int max, int maxSize) {
    List<Integer> v;
    try {
      v = config.getIntList(path);
    } catch (ConfigException e) {
      bad(path, "expected a list of whole numbers such as [1, 4, 16], got " + rendered(path));
      return List.of();
    }
    if (v.isEmpty() || v.size() > maxSize || v.stream().anyMatch(x -> x < min || x > max)) {
      bad(path, "expected a list of 1-" + maxSize + " whole numbers, each in [" + min + ", " + max + "], got "
          + (v.size() > 10 ? "a list of " + v.size() : v));
      return List.of();
    }
    return v;
  }

  String string(String path) {
    try {
      return config.getString(path);
    } catch (ConfigException e) {
      bad(path, "expected a string, got " + rendered(path));
      return "";
    }
  }

  /** A size in bytes such as 96G, 512M (binary units), in [min, max]. */
  long bytes(String path, long min, long max) {
    long v;
    try {
      v = config.getBytes(path);
    } catch (ConfigException.BadValue e) {
      bad(path, "expected a size such as 512M or 16G, at most " + MemorySpec.format(max) + ", got " + rendered(path));
      return min;
    } catch (ConfigException e) {
      bad(path, "expected a size such as 512M or 16G, got " + rendered(path));
      return min;
    }
    if (v < min) {
      bad(path, MemorySpec.format(v) + " is too small; expected at least " + MemorySpec.format(min));
      return min;
    }
    if (v > max) {
      bad(path, MemorySpec.format(v) + " is too large; expected at most " + MemorySpec.format(max)
          + " (" + max + " bytes)");
      return min;
    }
    return v;
  }

  CpuList cpuList(String path) {
    String text = string(path);
    try {
      return CpuList.parse(text);
    } catch (IllegalArgumentException e) {
      bad(path, e.getMessage());
      return CpuList.EMPTY;
    }
  }

  MemorySpec memory(String path) {
    String text = string(path);
    try {
      return MemorySpec.parse(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      bad(path, e.getMessage());
      return new MemorySpec(List.of(), false, -1);
    }
  }

  /** A section of {@code name = duration} pairs, such as {@code costs.syscall.local}. */
  Map<String, Long> durations(String path) {
    Map<String, Long> out = new TreeMap<>();
    Config section;
    try {
      section = config.getConfig(path);
    } catch (ConfigException e) {
      bad(path, "expected a section of name = duration pairs, got " + rendered(path));
      return out;
    }
    for (String key : section.root().keySet()) {
      String sub = key.matches("[A-Za-z0-9_-]+") ? key : ConfigUtil.quoteString(key);
      out.put(key, duration(path + "." + sub, 0));
    }
    return out;
  }

  /**
   * A duration in ns, at least {@code minNs} and at most {@link InputLimits#MAX_DURATION_NS}; a bare
   * number is ns, otherwise a HOCON duration such as 100us.
   */
  long duration(String path, long minNs) {
    long ns;
    try {
      Object raw = config.getValue(path).unwrapped();
      if (raw instanceof String s && BARE_NUMBER.matcher(s.trim()).matches()) {
        // HOCON reads a unit-less string duration as milliseconds; ours are nanoseconds.
        raw = Double.valueOf(s.trim());
      }
      if (raw instanceof Number n) {
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
          bad(path, "a bare number is nanoseconds and must be whole; got " + n + " (write e.g. 1.5us)");
          return minNs;
        }
        ns = Math.abs(n.doubleValue()) < 0x1p63 ? n.longValue() : (n.doubleValue() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
      } else {
        Duration d = config.getDuration(path);
        ns = d.getSeconds() > Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : d.toNanos();
      }
    } catch (ConfigException | ArithmeticException e) {
      bad(path, "expected a duration such as 100us, 2ms or 1s (bare numbers are ns), got "
          + rendered(path));
      return minNs;
    }
    if (ns < minNs) {
      bad(path, ns + "ns is too small; expected at least " + minNs + "ns");
      return minNs;
    }
    if (ns > InputLimits.MAX_DURATION_NS) {
      bad(path, rendered(path) + " is too long; a duration is at most 1000000s (11.6 days of virtual time)");
      return minNs;
    }
    return ns;
  }

  /**
   * {@code count * ns}, a time the run derives from {@code path} and another key, exactly; a problem
   * on {@code path} (0 returned) when it exceeds {@link InputLimits#MAX_DERIVED_NS}.
   */
  long derived(String path, long count, long ns, String what) {
    long hi = Math.multiplyHigh(count, ns);
    long product = count * ns;
    if (hi != 0 || product < 0 || product > InputLimits.MAX_DERIVED_NS) {
      bad(path, what + " comes to more virtual time than a run may take (10^17 ns, 3.2 years); make it"
          + " smaller");
      return 0;
    }
    return product;
  }

  /**
   * Parses a duration the way a scenario's keys are read: a bare number is ns, else a HOCON duration
   * such as 100us; at most {@link InputLimits#MAX_DURATION_NS}.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static long parseDurationNs(String text) {
    List<ConfigProblem> problems = new ArrayList<>();
    Config c;
    try {
      c = ConfigFactory.parseString("d = " + text);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("cannot read duration '" + text + "'; write e.g. 100us, 2ms or 1s");
    }
    long ns = new ConfigReader(c, problems).duration("d", 0);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("cannot read duration '" + text + "': " + problems.get(0).message());
    }
    return ns;
  }

  // ---- fields of an object ----

  /** The value of field {@code key} of this reader's object (a null value too), or null when it has none. */
  public ConfigValue field(String key) {
    return config.root().get(key);
  }

  /** Records that field {@code key} is missing from this reader's object, at the object: "missing; HINT". */
  public void missing(String key, String hint) {
    problem(config.root(), key, "missing; " + hint);
  }

  /**
   * A whole number in [min, max], decimal or 0x hexadecimal without a unit; {@code absent} when the field
   * is missing, which is a problem when {@code absent} is null; {@code what} describes the field in
   * messages, such as "a file descriptor".
   */
  public Long wholeField(String key, Long absent, long min, long max, String what) {
    return number(key, absent, min, max, what, false);
  }

  /** Like {@link #wholeField}, a byte quantity, which may also have a binary unit (4K, 2M, 1GiB). */
  public Long quantityField(String key, Long absent, long min, long max, String what) {
    return number(key, absent, min, max, what, true);
  }

  private Long number(String key, Long absent, long min, long max, String what, boolean units) {
    ConfigValue v = field(key);
    if (v == null) {
      if (absent == null) {
        missing(key, "expected " + what);
      }
      return absent;
    }
    Long n = parseWhole(v, units);
    if (n == null) {
      return badField(v, key, "expected " + what + (units ? " such as 4096, 0x10000 or 4K" : "") + ", got "
          + unquoted(v));
    }
    if (n < min || n > max) {
      return badField(v, key, unquoted(v) + " is out of range; expected " + what);
    }
    return n;
  }

  /** A whole number from a NUMBER or a STRING (0x hex, optional binary unit when allowed), or null. */
  private static Long parseWhole(ConfigValue v, boolean units) {
    if (v.valueType() == ConfigValueType.NUMBER) {
      Number n = (Number) v.unwrapped();
      if (n instanceof Integer || n instanceof Long) {
        return n.longValue();
      }
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? (Long) n.longValue() : null;
    }
    if (v.valueType() != ConfigValueType.STRING) {
      return null;
    }
    Matcher m = QUANTITY.matcher(((String) v.unwrapped()).trim());
    if (!m.matches() || (!units && m.group(3) != null) || (!units && m.group(0).endsWith("B"))) {
      return null;
    }
    try {
      String digits = m.group(2);
      long magnitude = digits.length() > 2 && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X')
          ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
      int shift = m.group(3) == null ? 0
          : 10 * (1 + "kmgt".indexOf(Character.toLowerCase(m.group(3).charAt(0))));
      if (shift > 0 && magnitude > (Long.MAX_VALUE >> shift)) {
        return null;
      }
      long value = magnitude << shift;
      return m.group(1).equals("-") ? -value : value;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * A required duration in ns that is not negative: a bare number is nanoseconds, of any size (the
   * caller bounds what its durations add up to); a string is a duration such as 10us, read as
   * {@link #parseDurationNs} reads it.
   */
  public Long durationField(String key) {
    ConfigValue v = field(key);
    if (v == null) {
      missing(key, "expected a duration such as 10us, 2ms or 1s");
      return null;
    }
    long ns;
    if (v.valueType() == ConfigValueType.NUMBER) {
      Number n = (Number) v.unwrapped();
      if (n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) >= 0x1p63) {
        return badField(v, key, "a bare number is nanoseconds and must be whole; got " + unquoted(v)
            + " (write e.g. 1.5us)");
      }
      ns = n.longValue();
    } else if (v.valueType() == ConfigValueType.STRING) {
      String text = ((String) v.unwrapped()).trim();
      if (text.startsWith("-")) {
        return badField(v, key, "a duration must not be negative, got " + text);
      }
      try {
        ns = parseDurationNs(text);
      } catch (IllegalArgumentException e) {
        return badField(v, key, "expected a duration such as 10us, 2ms or 1s (bare numbers are ns), got "
            + unquoted(v));
      }
    } else {
      return badField(v, key, "expected a duration such as 10us, 2ms or 1s (bare numbers are ns), got "
          + unquoted(v));
    }
    if (ns < 0) {
      return badField(v, key, "a duration must not be negative, got " + unquoted(v));
    }
    return ns;
  }

  /** A required word of {@code words}, in any case; the word as {@code words} spells it, or null. */
  public String keywordField(String key, List<String> words) {
    String expected = words.size() == 1 ? words.get(0)
        : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    ConfigValue v = field(key);
    if (v == null) {
      missing(key, "expected " + expected);
      return null;
    }
    if (v.valueType() == ConfigValueType.STRING) {
      String text = ((String) v.unwrapped()).trim().toLowerCase(Locale.ROOT);
      for (String w : words) {
        if (text.equals(w)) {
          return w;
        }
      }
    }
    return badField(v, key, "expected " + expected + ", got " + unquoted(v));
  }

  private <T> T badField(ConfigValue v, String key, String message) {
    problem(v, key, message);
    return null;
  }
}
