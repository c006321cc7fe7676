package io.mcksim.workloads;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.mcksim.config.ConfigProblem;
import io.mcksim.config.ConfigReader;
import io.mcksim.config.ScenarioException;
import io.mcksim.config.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reads {@link Program}s from HOCON, reporting every problem at once, each with its file:line and key
 * path, as a {@link ScenarioException}. It walks the programs and their ops; the fields of an op are read
 * by the {@link ConfigReader} a scenario is read by, and misspelt keys and kinds get its
 * {@link Suggestions}.
 *
 * <p>A program is an object with an optional {@code name} and a list of {@code ops}; each op is an
 * object with exactly one kind key:
 *
 * <pre>
 * name = writer
 * ops = [
 *   { compute = 10us }                                  # a duration; a bare number is nanoseconds
 *   { syscall = write, fd = 1, size = 4096, buffer = 0x10000 }
 *   { syscall = mmap, address = 0x200000, length = 2M, flags = 0x22, fd = -1 }
 *   { touch = 0x10000, length = 8192, access = write }  # access: read or write
 *   { repeat = 100, ops = [ { syscall = getpid } ] }
 *   { spawn-thread = { name = worker, ops = [ ... ] } } # or spawn-thread = [ ...ops... ]
 *   { fork = { ops = [ ... ] } }
 *   { exec = { name = other, ops = [ ... ] } }
 *   { futex = wait, address = 0x20000 }                 # futex = wake, count = N releases N waiters
 *   { kill = self, signal = SIGUSR1 }                   # self, parent, child or a pid
 *   { tgkill = spawned, signal = SIGUSR1 }              # self, main, spawned or a tid
 *   { rt_sigaction = SIGUSR1, handler = [ ... ] }       # or handler = SIG_IGN, SIG_DFL
 *   { exit = 0 }                                        # or exit_group = 0: every thread ends
 * ]
 * </pre>
 *
 * <p>Syscall keys besides the name: {@code fd}, {@code size}, {@code flags}, {@code buffer} (or its
 * synonym {@code address}), {@code length}, {@code offset} (see {@link SyscallArgs}). Addresses, sizes,
 * lengths and offsets are whole numbers, written in decimal, as {@code 0x} hexadecimal, or with a
 * binary unit ({@code 4K}, {@code 2M}, {@code 1G}, {@code 1GiB}); flags in decimal or hexadecimal.
 *
 * <p>A program of a list (such as {@code workload.programs}) may also say where it runs: {@code instance
 * = 1} runs it on OS instance 1 of the partition ({@code mcexec 1 ...}); without the key, on instance 0
 * ({@link Listed}). Whether that instance exists is the scenario's to check. It may also be sent signals
 * from Linux at given virtual times: {@code signals = [ { at = 5ms, signal = SIGTERM } ]} (a name of
 * {@link Signals}, any case; read in time order).
 *
 * <p>A program without a {@code name} is called {@code main} ({@code program-<i>} in a list; a nested
 * one is named after its parent and its kind, e.g. {@code main.fork}).
 *
 * <p>Limits, so that a run ends in time and memory that its text bounds: programs, repeats and the
 * programs they start nest at most {@value #MAX_DEPTH} deep; what all the programs of a list (or the
 * one program) do, repeats unrolled and started programs included ({@link Program#work()}), is at most
 * {@value #MAX_OPS} ops, {@value #MAX_PAGES} pages of 4 KiB named by touches and calls' buffers and
 * regions, and {@value #MAX_COMPUTE_S} s of compute.
 */
public final class ProgramReader {

  /** How deep programs and repeats may nest (a fork inside a fork inside a repeat ... ). */
  public static final int MAX_DEPTH = 100;

  /** The most ops a list of programs may run, repeats unrolled, started programs included. */
  public static final long MAX_OPS = 10_000_000L;

  /** The most 4 KiB pages their touches and calls may name in all. */
  public static final long MAX_PAGES = 1_000_000_000L;

  /** The most compute their ops may hold in all, in seconds (a year). */
  public static final long MAX_COMPUTE_S = 31_536_000L;

  private static final List<String> KINDS =
      List.of("compute", "syscall", "touch", "spawn-thread", "fork", "exec", "exit", "exit_group", "repeat",
          "futex", "kill", "tgkill", "rt_sigaction");

  /** The keys each kind of op may have besides its kind key, in the order messages list them. */
  private static final Map<String, List<String>> EXTRA_KEYS = Map.ofEntries(
      Map.entry("compute", List.of()),
      Map.entry("syscall", List.of("fd", "size", "flags", "buffer", "address", "length", "offset", "path")),
      Map.entry("touch", List.of("length", "access")),
      Map.entry("spawn-thread", List.of()),
      Map.entry("fork", List.of()),
      Map.entry("exec", List.of()),
      Map.entry("exit", List.of()),
      Map.entry("exit_group", List.of()),
      Map.entry("repeat", List.of("ops")),
      Map.entry("futex", List.of("address", "count")),
      Map.entry("kill", List.of("signal")),
      Map.entry("tgkill", List.of("signal")),
      Map.entry("rt_sigaction", List.of("handler")));

  private static final List<String> PROGRAM_KEYS = List.of("name", "ops");

  /** The keys of a program in a list: a program's, and where it runs. */
  private static final List<String> LISTED_KEYS = List.of("name", "ops", "instance", "signals");

  /** The most OS instances a node holds ({@code os.max-instances} at most 64): instances 0-63. */
  public static final int MAX_INSTANCE = 63;

  /**
   * A program of a list and the OS instance it runs on.
   *
   * @param instance the instance its {@code instance} key names, 0 without the key
   * @param where    where the key is (file and line), or where the program is without it
   * @param signals  the signals its {@code signals} key sends its mcexec from Linux, in time order; none
   *                 without the key
   */
  public record Listed(Program program, int instance, ConfigOrigin where, List<Signals.Timed> signals) {
    /** A program of a list that no timed signal reaches. */
    public Listed(Program program, int instance, ConfigOrigin where) {
      this(program, instance, where, List.of());
    }

    public Listed {
      signals = List.copyOf(signals);
    }
  }

  private static final long USER = SyscallArgs.USER_SPACE;

  /** The reader of the whole input: problems it records name whole key paths. */
  private final ConfigReader reader;
  /** How deep the program or repeat being read is nested. */
  private int depth;

  private ProgramReader(Config input, List<ConfigProblem> problems) {
    this.reader = new ConfigReader(input, problems);
  }

  /**
   * Reads one program from an object with {@code name} and {@code ops}; key paths in problems start at
   * {@code ops}.
   *
   * @throws ScenarioException with every problem found
   */
  public static Program fromConfig(Config program) {
    return fromConfig(program, "");
  }

  /**
   * Reads one program from an object with {@code name} and {@code ops}; key paths in problems start
   * with {@code keyPath} (e.g. {@code workload.programs[0]}), which names where {@code program} sits.
   *
   * @throws ScenarioException with every problem found
   */
  public static Program fromConfig(Config program, String keyPath) {
    List<ConfigProblem> problems = new ArrayList<>();
    Program p = read(program, keyPath, problems);
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems);
    }
    return p;
  }

  /**
   * Reads the list of programs at {@code path} of {@code config} (e.g. {@code workload.programs}); key
   * paths in problems are {@code path[i]...}.
   *
   * @throws ScenarioException with every problem found, in all the programs
   */
  public static List<Program> listFromConfig(Config config, String path) {
    return listedFromConfig(config, path).stream().map(Listed::program).toList();
  }

  /**
   * Reads the list of programs at {@code path} with the instance each runs on; key paths in problems
   * are {@code path[i]...}.
   *
   * @throws ScenarioException with every problem found, in all the programs
   */
  public static List<Listed> listedFromConfig(Config config, String path) {
    List<ConfigProblem> problems = new ArrayList<>();
    List<Listed> programs = readListed(config, path, problems);
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems);
    }
    return programs;
  }

  /**
   * Like {@link #fromConfig(Config, String)}, but adds its problems to {@code problems} instead of
   * throwing, so that a caller can report them together with its own.
   *
   * @return the program, or null if it has problems
   */
  public static Program read(Config program, String keyPath, List<ConfigProblem> problems) {
    int before = problems.size();
    ProgramReader reader = new ProgramReader(program, problems);
    Program p = reader.program(program.root(), prefix(keyPath), "main");
    if (p != null) {
      String self = keyPath == null || keyPath.isEmpty() ? "(program)" : keyPath;
      reader.limit(List.of(p), program.root(), self);
    }
    return problems.size() == before ? p : null;
  }

  /**
   * Like {@link #listFromConfig(Config, String)}, but adds its problems to {@code problems} instead of
   * throwing.
   *
   * @return the programs, or an empty list if any has problems
   */
  public static List<Program> readList(Config config, String path, List<ConfigProblem> problems) {
    return readListed(config, path, problems).stream().map(Listed::program).toList();
  }

  /** Like {@link #readList}, with the instance each program runs on. */
  public static List<Listed> readListed(Config config, String path, List<ConfigProblem> problems) {
    int before = problems.size();
    ProgramReader reader = new ProgramReader(config, problems);
    ConfigValue value;
    try {
      value = config.getValue(path);
    } catch (ConfigException.Missing e) {
      reader.problem(config.origin(), path,
          "missing; expected a list of programs [ { name = ..., ops = [ ... ] }, ... ]");
      return List.of();
    } catch (ConfigException e) {
      reader.problem(e.origin(), path, "expected a list of programs, got null");
      return List.of();
    }
    if (value.valueType() != ConfigValueType.LIST) {
      reader.problem(value, path, "expected a list of programs [ { name = ..., ops = [ ... ] }, ... ], got "
          + ConfigReader.unquoted(value));
      return List.of();
    }
    List<Listed> programs = new ArrayList<>();
    ConfigList list = (ConfigList) value;
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "].";
      Program p = reader.program(list.get(i), at, "program-" + i, LISTED_KEYS);
      Long instance = reader.instance(list.get(i), at);
      List<Signals.Timed> signals = reader.signals(list.get(i), at);
      if (p != null && instance != null && signals != null) {
        ConfigValue key = list.get(i) instanceof ConfigObject o ? o.get("instance") : null;
        programs.add(new Listed(p, instance.intValue(), (key != null ? key : list.get(i)).origin(), signals));
      }
    }
    if (problems.size() == before) {
      reader.limit(programs.stream().map(Listed::program).toList(), value, path);
    }
    return problems.size() == before ? List.copyOf(programs) : List.of();
  }

  /** The {@code instance} key of a listed program at {@code at} (0 without it), or null after a problem. */
  private Long instance(ConfigValue value, String at) {
    if (!(value instanceof ConfigObject object)) {
      return 0L;
    }
    return reader.object(object, at.substring(0, at.length() - 1)).wholeField("instance", 0L, 0, MAX_INSTANCE,
        "an OS instance number 0-" + MAX_INSTANCE);
  }

  /**
   * The {@code signals} key of a listed program at {@code at}: a list of { at = 5ms, signal = SIGTERM },
   * each sent to its mcexec from Linux at that virtual time; in time order. Empty without the key, null
   * after a problem.
   */
  private List<Signals.Timed> signals(ConfigValue value, String at) {
    ConfigValue list = value instanceof ConfigObject object ? object.get("signals") : null;
    if (list == null) {
      return List.of();
    }
    String path = at + "signals";
    if (list.valueType() != ConfigValueType.LIST) {
      problem(list, path, "expected a list of signals [ { at = 5ms, signal = SIGTERM }, ... ], got "
          + ConfigReader.unquoted(list));
      return null;
    }
    boolean ok = true;
    List<Signals.Timed> out = new ArrayList<>();
    ConfigList entries = (ConfigList) list;
    for (int i = 0; i < entries.size(); i++) {
      String entry = path + "[" + i + "]";
      if (!(entries.get(i) instanceof ConfigObject o)) {
        problem(entries.get(i), entry, "expected a signal { at = 5ms, signal = SIGTERM }, got "
            + ConfigReader.unquoted(entries.get(i)));
        ok = false;
        continue;
      }
      List<String> keys = List.of("at", "signal");
      for (String key : new TreeSet<>(o.keySet())) {
        if (!keys.contains(key)) {
          problem(o.get(key), entry + "." + key, "unknown key in a signal; known keys: at, signal"
              + suggestion(key, keys));
          ok = false;
        }
      }
      Long ns = reader.object(o, entry).durationField("at");
      if (ns != null && ns > MAX_COMPUTE_S * 1_000_000_000L) {
        problem(o.get("at"), entry + ".at", "a signal is sent within a year of the start (at most "
            + MAX_COMPUTE_S + "s), got " + ConfigReader.unquoted(o.get("at")));
        ns = null;
      }
      Integer signal = signal(o, entry);
      if (ns != null && signal != null) {
        out.add(new Signals.Timed(ns, signal));
      } else {
        ok = false;
      }
    }
    out.sort(java.util.Comparator.comparingLong(Signals.Timed::atNs));
    return ok ? out : null;
  }

  /** The {@code signal} of a timed signal at {@code entry} (a name, any case): its number, or null after a problem. */
  private Integer signal(ConfigObject o, String entry) {
    ConfigValue v = o.get("signal");
    if (v == null) {
      problem(o, entry + ".signal", "missing; expected " + SIGNAL_NAME);
      return null;
    }
    return signal(v, entry + ".signal");
  }

  private static final String SIGNAL_NAME = "a signal name such as SIGTERM, one of "
      + String.join(", ", Signals.names());

  /** The signal named by {@code v} at {@code path} (a name, any case): its number, or null after a problem. */
  private Integer signal(ConfigValue v, String path) {
    String expected = SIGNAL_NAME;
    String name = v.valueType() == ConfigValueType.STRING
        ? ((String) v.unwrapped()).trim().toUpperCase(Locale.ROOT) : "";
    if (Signals.names().contains(name)) {
      return Signals.number(name);
    }
    problem(v, path, "expected " + expected + ", got " + ConfigReader.unquoted(v)
        + Suggestions.didYouMean(name, Signals.names(), Math.max(1, name.length() / 3)));
    return null;
  }

  /** Checks what {@code programs} do in all against {@link #MAX_OPS}, {@link #MAX_PAGES}, {@link #MAX_COMPUTE_S}. */
  private void limit(List<Program> programs, ConfigValue where, String path) {
    long ops = 0;
    long pages = 0;
    long computeNs = 0;
    for (Program p : programs) {
      Program.Work w = p.work();
      ops = plus(ops, w.ops());
      pages = plus(pages, w.pages());
      computeNs = plus(computeNs, w.computeNs());
    }
    String all = programs.size() == 1 ? "the program" : "the " + programs.size() + " programs";
    String s = programs.size() == 1 ? "s" : "";
    String unrolled = " (repeats unrolled, forked, spawned and exec'd programs included)";
    if (ops > MAX_OPS) {
      problem(where, path, String.format(Locale.ROOT, "%s run%s %s ops%s, more than the %,d a run may take; use "
          + "smaller repeat counts", all, s, count(ops), unrolled, MAX_OPS));
    }
    if (pages > MAX_PAGES) {
      problem(where, path, String.format(Locale.ROOT, "%s name%s %s pages of 4 KiB in touches and calls%s, more "
          + "than the %,d (4 TiB) a run may take; use smaller lengths, sizes or repeat counts", all, s,
          count(pages), unrolled, MAX_PAGES));
    }
    if (computeNs > MAX_COMPUTE_S * 1_000_000_000L) {
      problem(where, path, String.format(Locale.ROOT, "%s compute%s for %s ns%s, more than the %,d s (a year) a "
          + "run may take; use shorter computes or smaller repeat counts", all, s, count(computeNs), unrolled,
          MAX_COMPUTE_S));
    }
  }

  /** {@code a + b} of two sums that are not negative, at most {@link Long#MAX_VALUE}. */
  private static long plus(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  private static String count(long n) {
    return n == Long.MAX_VALUE ? "more than 2^63" : String.format(Locale.ROOT, "%,d", n);
  }

  private static String prefix(String keyPath) {
    return keyPath == null || keyPath.isEmpty() ? "" : keyPath.endsWith(".") ? keyPath : keyPath + ".";
  }

  /**
   * A program object (or, as a shorthand, a bare list of ops); {@code at} is its key path with a trailing
   * dot, or empty at the root.
   */
  private Program program(ConfigValue value, String at, String defaultName) {
    return program(value, at, defaultName, PROGRAM_KEYS);
  }

  /** The same, for a program object whose keys may be {@code keys}. */
  private Program program(ConfigValue value, String at, String defaultName, List<String> keys) {
    String self = at.isEmpty() ? "(program)" : at.substring(0, at.length() - 1);
    if (value.valueType() == ConfigValueType.LIST) {
      List<Op> ops = sequence((ConfigList) value, self, defaultName, "program '" + defaultName + "'");
      return ops == null ? null : build(defaultName, ops, value, self);
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problem(value, self, "expected a program { name = ..., ops = [ ... ] }, got " + ConfigReader.unquoted(value));
      return null;
    }
    ConfigObject object = (ConfigObject) value;
    for (String key : new TreeSet<>(object.keySet())) {
      if (!keys.contains(key)) {
        problem(object.get(key), at + key, "unknown key in a program; known keys: "
            + String.join(", ", keys) + suggestion(key, keys));
      }
    }
    String name = defaultName;
    ConfigValue nameValue = object.get("name");
    if (nameValue != null) {
      if (nameValue.valueType() == ConfigValueType.STRING && !((String) nameValue.unwrapped()).isBlank()) {
        name = (String) nameValue.unwrapped();
      } else {
        problem(nameValue, at + "name", "expected a program name, got " + ConfigReader.unquoted(nameValue));
      }
    }
    ConfigValue opsValue = object.get("ops");
    if (opsValue == null) {
      problem(object, at + "ops", "missing; a program is { name = ..., ops = [ { ... }, ... ] }");
      return null;
    }
    if (opsValue.valueType() != ConfigValueType.LIST) {
      problem(opsValue, at + "ops", "expected a list of ops [ { ... }, ... ], got " + ConfigReader.unquoted(opsValue));
      return null;
    }
    List<Op> ops = sequence((ConfigList) opsValue, at + "ops", name, "program '" + name + "'");
    return ops == null ? null : build(name, ops, opsValue, at + "ops");
  }

  private Program build(String name, List<Op> ops, ConfigValue where, String path) {
    try {
      return new Program(name, ops);
    } catch (IllegalArgumentException e) { // sequence() checked the rules already; kept as a safety net
      problem(where, path, e.getMessage());
      return null;
    }
  }

  /**
   * A list of ops at {@code path}; null if any op has a problem (all of them are reported). Checks the
   * sequence rules: not empty, nothing after an exit or exec.
   *
   * @param program the name of the program the ops belong to (names its nested programs)
   * @param what    the sequence in messages
   */
  private List<Op> sequence(ConfigList list, String path, String program, String what) {
    if (list.isEmpty()) {
      problem(list, path, what + " needs at least one op");
      return null;
    }
    List<Op> ops = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      Op op = op(list.get(i), path + "[" + i + "]", program);
      ok &= op != null;
      ops.add(op);
    }
    if (!ok) {
      return null;
    }
    int unreachable = OpSequences.firstUnreachable(ops);
    if (unreachable >= 0) {
      problem(list.get(unreachable), path + "[" + unreachable + "]", "this " + ops.get(unreachable).kind()
          + " never runs: the " + ops.get(unreachable - 1).kind() + " before it ends the sequence");
      return null;
    }
    return ops;
  }

  /** One op at {@code path}, or null after reporting its problems. */
  private Op op(ConfigValue value, String path, String program) {
    if (value.valueType() != ConfigValueType.OBJECT) {
      problem(value, path, "expected an op such as { compute = 10us } or { syscall = getpid }, got "
          + ConfigReader.unquoted(value));
      return null;
    }
    ConfigObject object = (ConfigObject) value;
    List<String> kinds = KINDS.stream().filter(object::containsKey).toList();
    if (kinds.size() != 1) {
      if (kinds.isEmpty()) {
        String keys = object.isEmpty() ? "none" : String.valueOf(new TreeSet<>(object.keySet()));
        problem(object, path, "an op needs one kind key of " + String.join(", ", KINDS) + "; got keys "
            + keys + kindSuggestion(object));
      } else {
        problem(object, path, "an op has exactly one kind; got " + String.join(" and ", kinds));
      }
      return null;
    }
    String kind = kinds.get(0);
    List<String> extra = EXTRA_KEYS.get(kind);
    int before = reader.problemCount();
    for (String key : new TreeSet<>(object.keySet())) {
      if (!key.equals(kind) && !extra.contains(key)) {
        problem(object.get(key), path + "." + key, "unknown key for a " + kind + " op; "
            + (extra.isEmpty() ? "it takes none besides " + kind : "known keys: " + String.join(", ", extra))
            + suggestion(key, extra));
      }
    }
    ConfigReader f = reader.object(object, path);
    Op op = switch (kind) {
      case "compute" -> computeOp(f);
      case "syscall" -> syscallOp(f);
      case "touch" -> touchOp(f);
      case "spawn-thread", "fork", "exec" -> programOp(f, kind, program);
      case "exit", "exit_group" -> exitOp(f, kind);
      case "repeat" -> repeatOp(f, program);
      case "futex" -> futexOp(f);
      case "kill", "tgkill" -> killOp(f, kind);
      case "rt_sigaction" -> sigactionOp(f, program);
      default -> throw new IllegalStateException("kind " + kind);
    };
    return reader.problemCount() == before ? op : null;
  }

  private Op computeOp(ConfigReader f) {
    Long ns = f.durationField("compute");
    return ns == null ? null : guarded(f, "compute", () -> new Op.Compute(ns));
  }

  private Op syscallOp(ConfigReader f) {
    ConfigValue nameValue = f.field("syscall");
    String name = null;
    if (nameValue.valueType() != ConfigValueType.STRING) {
      f.problem(nameValue, "syscall", "expected a syscall name such as write, got "
          + ConfigReader.unquoted(nameValue));
    } else if (!LinuxSyscalls.accepts((String) nameValue.unwrapped())) {
      f.problem(nameValue, "syscall", LinuxSyscalls.whyNot((String) nameValue.unwrapped()));
    } else {
      name = (String) nameValue.unwrapped();
    }
    if (f.field("buffer") != null && f.field("address") != null) {
      f.problem(f.field("address"), "address",
          "give the user buffer as buffer or as address, not both (they are the same argument)");
    }
    Long fd = f.wholeField("fd", (long) SyscallArgs.NO_FD, Integer.MIN_VALUE, Integer.MAX_VALUE, "a file descriptor");
    Long size = f.quantityField("size", 0L, 0, USER, "a byte count (0 to 128 TiB)");
    Long flags = f.wholeField("flags", 0L, Long.MIN_VALUE, Long.MAX_VALUE, "flags");
    String addressKey = f.field("address") != null ? "address" : "buffer";
    Long address = f.quantityField(addressKey, 0L, 0, USER, "a user address (0 to 0x800000000000, 128 TiB)");
    Long length = f.quantityField("length", 0L, 0, USER, "a length in bytes (0 to 128 TiB)");
    if (address != null && length != null && !withinUserSpace(f, address, length, "length")) {
      return null;
    }
    Long offset = f.quantityField("offset", 0L, Long.MIN_VALUE, Long.MAX_VALUE, "a file offset");
    String path = null;
    boolean pathOk = true;
    ConfigValue pathValue = f.field("path");
    if (pathValue != null) {
      if (pathValue.valueType() != ConfigValueType.STRING || ((String) pathValue.unwrapped()).isEmpty()) {
        f.problem(pathValue, "path", "expected a path such as \"/proc/self/status\", got "
            + ConfigReader.unquoted(pathValue));
        pathOk = false;
      } else {
        path = (String) pathValue.unwrapped();
      }
    }
    if (name == null || fd == null || size == null || flags == null || address == null || length == null
        || offset == null || !pathOk) {
      return null;
    }
    String n = name;
    String p = path;
    return guarded(f, "syscall", () -> new Op.Syscall(n,
        new SyscallArgs(fd.intValue(), size, flags, address, length, offset, p)));
  }

  private Op touchOp(ConfigReader f) {
    Long address = f.quantityField("touch", null, 0, USER, "the address to touch (0 to 0x800000000000, 128 TiB)");
    Long length = f.quantityField("length", null, 1, USER, "a length of at least 1 byte (at most 128 TiB)");
    String access = f.keywordField("access", ACCESS);
    if (address == null || length == null || access == null || !withinUserSpace(f, address, length, "length")) {
      return null;
    }
    Access a = Access.valueOf(access.toUpperCase(Locale.ROOT));
    return guarded(f, "touch", () -> new Op.Touch(address, length, a));
  }

  /** The words a touch's {@code access} takes: the {@link Access} kinds, in lower case. */
  private static final List<String> ACCESS =
      Stream.of(Access.values()).map(a -> a.name().toLowerCase(Locale.ROOT)).toList();

  /** Whether [address, address + length) ends within the user address space; reports it at {@code key} if not. */
  private static boolean withinUserSpace(ConfigReader f, long address, long length, String key) {
    if (address + length <= USER) {
      return true;
    }
    f.problem(f.field(key), key, String.format(Locale.ROOT, "the range 0x%x + %d ends past the "
        + "user address space (0x%x, 128 TiB)", address, length, USER));
    return false;
  }

  private Op programOp(ConfigReader f, String kind, String program) {
    if (tooDeep(f, kind)) {
      return null;
    }
    depth++;
    Program p = program(f.field(kind), f.pathOf(kind) + ".", program + "." + kind);
    depth--;
    if (p == null) {
      return null;
    }
    return switch (kind) {
      case "spawn-thread" -> new Op.SpawnThread(p);
      case "fork" -> new Op.Fork(p);
      default -> new Op.Exec(p);
    };
  }

  /** {@code { futex = wait, address = A }} or {@code { futex = wake, address = A, count = N }} (count 1 without it). */
  private Op futexOp(ConfigReader f) {
    ConfigValue v = f.field("futex");
    String word = v.valueType() == ConfigValueType.STRING
        ? ((String) v.unwrapped()).trim().toLowerCase(Locale.ROOT).replaceFirst("^futex_", "") : "";
    word = word.endsWith("_private") ? word.substring(0, word.length() - "_private".length()) : word;
    if (!word.equals("wait") && !word.equals("wake")) {
      f.problem(v, "futex", "expected wait or wake (FUTEX_WAIT or FUTEX_WAKE), got " + ConfigReader.unquoted(v)
          + "; e.g. { futex = wait, address = 0x20000 } or { futex = wake, address = 0x20000, count = 1 }");
    }
    boolean wake = word.equals("wake");
    Long address = f.field("address") == null ? null
        : f.quantityField("address", null, 0, USER - 1, "the futex word's user address (0 to 0x800000000000)");
    if (f.field("address") == null) {
      f.missing("address", "a futex names its word: { futex = " + (wake ? "wake" : "wait")
          + ", address = 0x20000 }");
    }
    Long count = null;
    if (!wake && f.field("count") != null) {
      f.problem(f.field("count"), "count", "a futex wait takes no count; only a wake releases up to count waiters");
    } else if (wake) {
      count = f.wholeField("count", 1L, 1, Integer.MAX_VALUE, "how many waiters the wake releases (at least 1)");
    }
    if (address == null || (wake && count == null) || (!word.equals("wait") && !wake)) {
      return null;
    }
    Long n = count;
    return guarded(f, "futex", () -> wake ? Op.Futex.wake(address, n.intValue()) : Op.Futex.waitOn(address));
  }

  /** {@code { kill = self|parent|child|PID, signal = S }} or {@code { tgkill = self|main|spawned|TID, signal = S }}. */
  private Op killOp(ConfigReader f, String kind) {
    boolean kill = kind.equals("kill");
    List<String> words = kill ? Op.Kill.TARGETS : Op.Tgkill.TARGETS;
    String number = kill ? "pid" : "tid";
    ConfigValue v = f.field(kind);
    String target = null;
    long id = 0;
    if (v.valueType() == ConfigValueType.NUMBER && v.unwrapped() instanceof Number n && n.longValue() >= 1
        && n.longValue() <= Integer.MAX_VALUE && n.doubleValue() == n.longValue()) {
      target = number;
      id = n.longValue();
    } else if (v.valueType() == ConfigValueType.STRING
        && words.contains(((String) v.unwrapped()).trim().toLowerCase(Locale.ROOT))) {
      target = ((String) v.unwrapped()).trim().toLowerCase(Locale.ROOT);
    } else {
      f.problem(v, kind, "expected " + String.join(", ", words) + " or a " + number + " (a whole number of at "
          + "least 1), got " + ConfigReader.unquoted(v) + "; e.g. { " + kind + " = " + words.get(kill ? 0 : 1)
          + ", signal = SIGUSR1 }");
    }
    ConfigValue sv = f.field("signal");
    Integer signal = null;
    if (sv == null) {
      f.missing("signal", "expected " + SIGNAL_NAME);
    } else {
      signal = signal(sv, f.pathOf("signal"));
    }
    if (target == null || signal == null) {
      return null;
    }
    String t = target;
    int i = (int) id;
    int sig = signal;
    return guarded(f, kind, () -> kill ? new Op.Kill(t, i, sig) : new Op.Tgkill(t, i, sig));
  }

  /** The words of rt_sigaction's {@code handler} that are not a program. */
  private static final Map<String, Op.SigAction.Action> DISPOSITIONS = Map.of(
      "ignore", Op.SigAction.Action.IGNORE, "sig_ign", Op.SigAction.Action.IGNORE,
      "default", Op.SigAction.Action.DEFAULT, "sig_dfl", Op.SigAction.Action.DEFAULT);

  /** {@code { rt_sigaction = S, handler = [ ops ] | { ops = [...] } | ignore | default }}. */
  private Op sigactionOp(ConfigReader f, String program) {
    Integer signal = signal(f.field("rt_sigaction"), f.pathOf("rt_sigaction"));
    ConfigValue h = f.field("handler");
    String hint = "a handler program [ { ... }, ... ], ignore (SIG_IGN) or default (SIG_DFL)";
    if (h == null) {
      f.missing("handler", "expected " + hint + "; e.g. { rt_sigaction = SIGUSR1, handler = [ { compute = 1us } ] }");
      return null;
    }
    if (signal != null && signal == Signals.SIGKILL) {
      f.problem(f.field("rt_sigaction"), "rt_sigaction", "SIGKILL cannot be caught or ignored (rt_sigaction "
          + "returns EINVAL); choose another signal, such as SIGTERM or SIGUSR1");
      return null;
    }
    Op.SigAction.Action action;
    Program handler = null;
    if (h.valueType() == ConfigValueType.STRING) {
      action = DISPOSITIONS.get(((String) h.unwrapped()).trim().toLowerCase(Locale.ROOT));
      if (action == null) {
        f.problem(h, "handler", "expected " + hint + ", got " + ConfigReader.unquoted(h));
        return null;
      }
    } else if (h.valueType() == ConfigValueType.LIST || h.valueType() == ConfigValueType.OBJECT) {
      if (tooDeep(f, "handler")) {
        return null;
      }
      depth++;
      handler = program(h, f.pathOf("handler") + ".", program + ".handler");
      depth--;
      if (handler == null) {
        return null;
      }
      action = Op.SigAction.Action.HANDLE;
    } else {
      f.problem(h, "handler", "expected " + hint + ", got " + ConfigReader.unquoted(h));
      return null;
    }
    if (signal == null) {
      return null;
    }
    Program p = handler;
    Op.SigAction.Action a = action;
    return guarded(f, "rt_sigaction", () -> new Op.SigAction(signal, a, p));
  }

  private Op exitOp(ConfigReader f, String kind) {
    Long status = f.wholeField(kind, null, 0, 255, "an exit status 0-255");
    return status == null ? null : new Op.Exit(status.intValue(), kind.equals("exit_group"));
  }

  private Op repeatOp(ConfigReader f, String program) {
    Long times = f.wholeField("repeat", null, 1, Integer.MAX_VALUE, "a repeat count of at least 1");
    ConfigValue body = f.field("ops");
    List<Op> ops = null;
    if (body == null) {
      f.missing("ops", "a repeat is { repeat = 100, ops = [ { ... }, ... ] }");
    } else if (body.valueType() != ConfigValueType.LIST) {
      f.problem(body, "ops", "expected a list of ops [ { ... }, ... ], got " + ConfigReader.unquoted(body));
    } else if (!tooDeep(f, "repeat")) {
      depth++;
      ops = sequence((ConfigList) body, f.pathOf("ops"), program, "a repeat body");
      depth--;
    }
    if (times == null || ops == null) {
      return null;
    }
    if (times > 1 && OpSequences.terminates(ops)) {
      f.problem(f.field("repeat"), "repeat", "a repeat of " + times + " whose body ends with "
          + ops.get(ops.size() - 1).kind() + " never gets past its first pass; use repeat = 1 or move the "
          + ops.get(ops.size() - 1).kind() + " after the repeat");
      return null;
    }
    List<Op> body2 = ops;
    return guarded(f, "repeat", () -> new Op.Repeat(times.intValue(), body2));
  }

  /** Whether a program or repeat body here would nest deeper than {@link #MAX_DEPTH}; reports it if so. */
  private boolean tooDeep(ConfigReader f, String kind) {
    if (depth < MAX_DEPTH) {
      return false;
    }
    f.problem(f.field(kind), kind, "nested " + (MAX_DEPTH + 1) + " deep: programs and repeats "
        + "(fork, spawn-thread, exec, repeat inside each other) nest at most " + MAX_DEPTH + " deep; use a "
        + "repeat count instead of nesting, or fewer levels");
    return true;
  }

  /** Builds an op whose fields were checked; a rule the reader missed still becomes a problem. */
  private static Op guarded(ConfigReader f, String key, Supplier<Op> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      f.problem(f.field(key), key, e.getMessage());
      return null;
    }
  }

  private void problem(ConfigValue value, String path, String message) {
    reader.problem(value, path, message);
  }

  private void problem(ConfigOrigin origin, String path, String message) {
    reader.problem(origin, path, message);
  }

  /** Suggests the closest of {@code known} for a misspelt key, if one is close. */
  private static String suggestion(String key, Collection<String> known) {
    return Suggestions.didYouMean(key, new TreeSet<>(known), Math.max(1, key.length() / 3));
  }

  /** For an op with no kind key: a suggestion if one of its keys is a misspelt kind. */
  private static String kindSuggestion(ConfigObject object) {
    for (String key : new TreeSet<>(object.keySet())) {
      String kind = Suggestions.closest(key, KINDS, k -> Math.max(1, k.length() / 3));
      if (kind != null) {
        return "; did you mean '" + kind + "' instead of '" + key + "'?";
      }
    }
    return "";
  }
}
