package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a scenario: the defaults of {@code mcksim.scenario} in reference.conf, overridden by a HOCON
 * file, overridden by {@code key=value} settings. Rejects it with every problem at once, each with its
 * file:line and key path, before anything runs.
 */
public final class ScenarioLoader {

  private static final String ROOT = "mcksim.scenario";

  /** Sections whose keys are names chosen by the user (syscall names), not a fixed schema. */
  private static final List<String> OPEN_SECTIONS = List.of("costs.syscall.local", "costs.syscall.linux",
      "noise.profiles", "sweep");

  private final Config defaults;

  public ScenarioLoader() {
    this(ConfigFactory.defaultReference().getConfig(ROOT));
  }

  ScenarioLoader(Config defaults) {
    this.defaults = defaults;
  }

  /** The defaults alone. */
  public Scenario defaults() {
    return load(null, List.of());
  }

  /**
   * @param file      a scenario file, or null for the built-in defaults
   * @param overrides {@code key=value} strings, later ones winning
   */
  public Scenario load(Path file, List<String> overrides) {
    List<ConfigProblem> problems = new ArrayList<>();
    ScenarioSources sources = new ScenarioSources();
    List<Config> layers = new ArrayList<>();
    if (file != null) {
      layers.add(parseFile(sources, file, problems));
    }
    for (String override : overrides) {
      layers.add(parseOverride(sources, override, problems));
    }
    return build(merge(layers, 0, layers.size()), problems);
  }

  /** Layers [from, to) merged, later ones winning, pairwise: linear in the number of layers. */
  private static Config merge(List<Config> layers, int from, int to) {
    if (to - from == 0) {
      return ConfigFactory.empty();
    }
    if (to - from == 1) {
      return layers.get(from);
    }
    int mid = (from + to) >>> 1;
    return merge(layers, mid, to).withFallback(merge(layers, from, mid));
  }

  /**
   * A scenario from HOCON text, such as {@link Scenario#text()} gives: how a worker JVM of a run spread
   * over JVMs receives its run's scenario. {@code origin} names the text in error messages.
   */
  public Scenario loadText(String text, String origin) {
    List<ConfigProblem> problems = new ArrayList<>();
    Config user = ConfigFactory.empty();
    try {
      // the effective configuration of a scenario checked already: its text may be what its substitutions
      // expanded to, in its concise form
      user = new ScenarioSources(4 * InputLimits.MAX_EXPANDED_CHARS).parseText(text, origin);
    } catch (ConfigException e) {
      problems.add(fromException(e));
    }
    return build(user, problems);
  }

  private Scenario build(Config user, List<ConfigProblem> problems) {
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems);
    }
    unknownKeys(user, problems);
    Config unresolved = user.withFallback(defaults);
    ConfigProblem expansion = ExpansionCheck.check(unresolved);
    if (expansion != null) {
      problems.add(expansion);
      throw new ScenarioException(problems);
    }
    Config merged;
    try {
      merged = unresolved.resolve(ConfigResolveOptions.defaults());
    } catch (ConfigException e) {
      problems.add(fromException(e));
      throw new ScenarioException(problems);
    }
    Reader r = new Reader(merged, problems);
    RunSettings run = new RunSettings(
        r.longValue("run.seed"),
        r.duration("run.end-time", 1),
        r.oneOf("run.engine", Set.of("actors", "sequential")),
        r.intIn("run.threads", 0, 1024));
    PholdSettings phold = phold(r);
    MachineSettings machine = NodeSchema.machine(r);
    NoiseSettings noise = NoiseSchema.read(r, merged);
    Set<String> noiseNames = noise.names();
    OsModels models = new OsModels(
        new OsModels.Mos(r.duration("os.models.mos.migrate", 0), r.strings("os.models.mos.local")),
        new OsModels.Hobbes(r.duration("os.models.hobbes.remote-call", 0), r.strings("os.models.hobbes.remote"),
            r.strings("os.models.hobbes.local"), r.duration("os.models.hobbes.enosys", 0)),
        new OsModels.Argo(r.oneOf("os.models.argo.noise", noiseNames)),
        new OsModels.L4linux(r.duration("os.models.l4linux.ipc", 1), r.oneOf("os.models.l4linux.noise", noiseNames)));
    OsSettings os = new OsSettings(
        r.oneOf("os.model", OsSettings.MODELS),
        r.string("os.image"),
        r.string("os.kargs"),
        r.intIn("os.max-instances", 1, 64),
        r.oneOf("os.linux-noise", noiseNames),
        models);
    PartitionSettings partition = NodeSchema.partition(r, machine, os);
    LifecycleCosts costs = new LifecycleCosts(
        r.duration("costs.lifecycle.message", 1),
        r.duration("costs.lifecycle.boot-base", 0),
        r.duration("costs.lifecycle.boot-per-cpu", 0),
        r.duration("costs.lifecycle.boot-per-gib", 0),
        r.duration("costs.lifecycle.shutdown-base", 0),
        r.duration("costs.lifecycle.shutdown-per-cpu", 0));
    NodeSchema.checkBootTimes(r, partition, costs);
    IkcCostSettings ikc = new IkcCostSettings(
        r.duration("costs.ikc.latency", 1),
        r.duration("costs.ikc.ipi", 0),
        r.duration("costs.ikc.credit", 1));
    OffloadCosts offload = new OffloadCosts(
        r.duration("costs.offload.marshal", 0),
        r.duration("costs.offload.ikc-enqueue", 0),
        r.duration("costs.offload.mcctrl-dispatch", 1),
        r.duration("costs.offload.proxy-wakeup", 0),
        r.duration("costs.offload.reply-write", 1),
        r.duration("costs.offload.resume", 0));
    SyscallCosts syscalls = new SyscallCosts(
        r.duration("costs.syscall.local-default", 0),
        r.durations("costs.syscall.local"),
        r.duration("costs.syscall.linux-entry", 0),
        r.duration("costs.syscall.linux-default", 0),
        r.durations("costs.syscall.linux"),
        r.duration("costs.syscall.linux-page-fault", 0));
    long tickInterval = r.duration("costs.mckernel.tick-interval", 1);
    long tickCost = r.duration("costs.mckernel.tick-cost", 0);
    if (tickCost >= tickInterval) {
      r.bad("costs.mckernel.tick-cost", "a tick must cost less than the tick interval ("
          + tickInterval + "ns), got " + tickCost + "ns");
      tickCost = 0;
    }
    McKernelCosts mckernel = new McKernelCosts(tickInterval, tickCost,
        r.duration("costs.mckernel.page-fault", 0), r.intIn("costs.mckernel.clock-mhz", 1, 100_000));
    LaunchCosts launch = new LaunchCosts(
        r.duration("costs.launch.mcexec", 1),
        r.duration("costs.launch.prepare", 0),
        r.duration("costs.launch.schedule", 1));
    RemoteFaultCosts remoteFault = new RemoteFaultCosts(
        r.duration("costs.remote-fault.request", 1),
        r.duration("costs.remote-fault.resolve", 2),
        r.duration("costs.remote-fault.map", 1));
    WorkloadSettings workload = new WorkloadSettings(
        r.oneOf("workload.type", Set.of("showcase", "phold", "syscalls", "fwq", "ftq", "programs", "bsp")),
        new WorkloadSettings.Syscalls(
            r.strings("workload.syscalls.names"),
            r.intIn("workload.syscalls.calls", 1, 100_000_000),
            r.bytes("workload.syscalls.size", 0, InputLimits.MAX_TRANSFER_BYTES),
            r.oneOf("workload.syscalls.table", Set.of("mckernel-1.8", "seed-2015"))),
        fwq(r, noiseNames),
        ftq(r, noiseNames),
        BspSchema.bsp(r),
        new WorkloadSettings.Showcase(NodeSchema.nodeCounts(r, "workload.showcase.bsp-nodes", machine)));
    InterconnectSettings interconnect = BspSchema.interconnect(r);
    ChaosSettings chaos = ChaosSchema.read(r);
    Map<String, List<String>> sweep = sweep(merged, problems);
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems);
    }
    return new Scenario(merged, run, phold, machine, partition, os, costs, ikc, offload, syscalls,
        remoteFault, mckernel, launch, workload, noise, interconnect, sweep, chaos);
  }

  /** Entities whose initial events a PHOLD run may hold: 2^24 (measured: 1.75 KB per entity with 4 events). */
  static final int MAX_PHOLD_EVENTS = 1 << 24;

  private static PholdSettings phold(Reader r) {
    int before = r.problemCount();
    int entities = r.intIn("phold.entities", 1, 4_194_304);
    // An invalid entity count must not also make a valid domain count look out of range.
    int maxDomains = r.problemCount() == before ? Math.min(entities, 65_536) : 65_536;
    int domains = r.intIn("phold.domains", 1, maxDomains);
    int population = r.intIn("phold.population", 1, 1_000_000);
    if (r.problemCount() == before && (long) entities * population > MAX_PHOLD_EVENTS) {
      r.bad("phold.population", String.format("%,d entities with %,d events each is %,d events, more than the"
          + " %,d a run may start with; lower phold.entities or phold.population", entities, population,
          (long) entities * population, MAX_PHOLD_EVENTS));
    }
    return new PholdSettings(entities, domains, population,
        r.duration("phold.lookahead", 1),
        r.duration("phold.mean-delay", 0),
        r.doubleIn("phold.remote-fraction", 0, 1));
  }

  private static WorkloadSettings.Fwq fwq(Reader r, Set<String> noiseNames) {
    long quantum = r.duration("workload.fwq.quantum", 1);
    int iterations = r.intIn("workload.fwq.iterations", 1, 100_000_000);
    r.derived("workload.fwq.iterations", iterations, quantum, iterations + " iterations of " + quantum + "ns");
    return new WorkloadSettings.Fwq(quantum, iterations, r.oneOf("workload.fwq.noise", noiseNames));
  }

  private static WorkloadSettings.Ftq ftq(Reader r, Set<String> noiseNames) {
    long quantum = r.duration("workload.ftq.quantum", 1);
    int quanta = r.intIn("workload.ftq.quanta", 1, 100_000_000);
    r.derived("workload.ftq.quanta", quanta, quantum, quanta + " quanta of " + quantum + "ns");
    return new WorkloadSettings.Ftq(quantum, quanta, r.duration("workload.ftq.unit", 1),
        r.oneOf("workload.ftq.noise", noiseNames));
  }

  private static Config parseFile(ScenarioSources sources, Path file, List<ConfigProblem> problems) {
    if (Files.isDirectory(file)) {
      problems.add(new ConfigProblem(file.toString(), "(file)",
          "is a folder, not a scenario file; give the path of a .conf file, or none for the built-in default"));
      return ConfigFactory.empty();
    }
    if (!Files.exists(file)) {
      problems.add(new ConfigProblem(file.toString(), "(file)",
          "no such scenario file; give the path of a .conf file, or none for the built-in default"));
      return ConfigFactory.empty();
    }
    try {
      return sources.parseFile(file);
    } catch (ConfigException e) {
      problems.add(fromException(e));
      return ConfigFactory.empty();
    }
  }

  private static Config parseOverride(ScenarioSources sources, String override, List<ConfigProblem> problems) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      problems.add(new ConfigProblem("--set", override, "expected key=value, for example run.seed=7"));
      return ConfigFactory.empty();
    }
    String key = override.substring(0, eq).trim();
    String value = override.substring(eq + 1).trim();
    try {
      return sources.parseText(key + " = " + value, "--set " + (override.length() <= 80 ? override
          : override.substring(0, 76) + " ..."));
    } catch (ConfigException e) {
      problems.add(new ConfigProblem("--set", key, "cannot parse '" + value + "': " + fromException(e).message()));
      return ConfigFactory.empty();
    }
  }

  /**
   * The {@code sweep} section: scenario keys, each with the list of values to run it with. Keys are in
   * key order; each value is HOCON text, ready for a {@code key=value} override.
   */
  private Map<String, List<String>> sweep(Config merged, List<ConfigProblem> problems) {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    if (!merged.hasPath("sweep")) {
      return out;
    }
    Set<String> known = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
      known.add(e.getKey());
    }
    for (Map.Entry<String, ConfigValue> e : merged.getConfig("sweep").entrySet()) {
      String key = e.getKey();
      String at = "sweep." + key;
      boolean open = OPEN_SECTIONS.stream().anyMatch(s -> !s.equals("sweep") && key.startsWith(s + "."));
      if (key.startsWith("sweep.") || (!known.contains(key) && !open)) {
        problems.add(new ConfigProblem(where(e.getValue().origin()), at, "a sweep lists values of a "
            + "scenario key, and '" + key + "' is not one" + suggestion(key, known)));
        continue;
      }
      if (e.getValue().valueType() != ConfigValueType.LIST
          || ((com.typesafe.config.ConfigList) e.getValue()).isEmpty()) {
        problems.add(new ConfigProblem(where(e.getValue().origin()), at, "expected a non-empty list of "
            + "values to run with, such as [1, 2, 4], got " + shown(e.getValue())));
        continue;
      }
      List<String> values = new ArrayList<>();
      for (ConfigValue v : (com.typesafe.config.ConfigList) e.getValue()) {
        values.add(v.render(ConfigRenderOptions.concise()));
      }
      out.put(key, List.copyOf(values));
    }
    long runs = 1;
    for (List<String> values : out.values()) {
      runs = runs > MAX_SWEEP_RUNS ? runs : runs * values.size(); // past the limit it is over already
    }
    if (runs > MAX_SWEEP_RUNS) {
      problems.add(new ConfigProblem(where(merged.getValue("sweep").origin()), "sweep", String.format(
          "more than %,d combinations of values, each a whole run; a sweep runs at most %,d", MAX_SWEEP_RUNS,
          MAX_SWEEP_RUNS)));
    }
    return out;
  }

  /** Runs of one sweep (the product of its lists' lengths): each is a whole run of the scenario. */
  static final int MAX_SWEEP_RUNS = 4096;

  /**
   * Problems for the keys of {@code user} the scenario does not have. The first
   * {@link #UNKNOWN_KEYS_REPORTED} each get a suggestion; the rest are counted in one more problem (a file
   * of thousands of unknown keys is the wrong file, and each suggestion costs a pass over the known keys).
   */
  private void unknownKeys(Config user, List<ConfigProblem> problems) {
    Set<String> known = new TreeSet<>();
    Set<String> sections = new java.util.HashSet<>();
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
      known.add(e.getKey());
      for (int dot = e.getKey().indexOf('.'); dot > 0; dot = e.getKey().indexOf('.', dot + 1)) {
        sections.add(e.getKey().substring(0, dot));
      }
    }
    List<Map.Entry<String, ConfigValue>> unknown = user.entrySet().stream()
        .filter(e -> !known.contains(e.getKey()) && OPEN_SECTIONS.stream().noneMatch(
            section -> e.getKey().startsWith(section + ".")))
        // `run = 5` is a misused section, not an unknown key; the typed reads report it once
        .filter(e -> !sections.contains(e.getKey()))
        .sorted(Map.Entry.comparingByKey())
        .toList();
    for (Map.Entry<String, ConfigValue> e : unknown.subList(0, Math.min(unknown.size(), UNKNOWN_KEYS_REPORTED))) {
      problems.add(new ConfigProblem(where(e.getValue().origin()), e.getKey(),
          "unknown key" + suggestion(e.getKey(), known)));
    }
    if (unknown.size() > UNKNOWN_KEYS_REPORTED) {
      Map.Entry<String, ConfigValue> next = unknown.get(UNKNOWN_KEYS_REPORTED);
      problems.add(new ConfigProblem(where(next.getValue().origin()), next.getKey(), String.format(
          "and %,d more unknown keys from here on; is this a scenario file?", unknown.size() - UNKNOWN_KEYS_REPORTED)));
    }
  }

  /** Unknown keys reported one by one, each with a suggestion. */
  static final int UNKNOWN_KEYS_REPORTED = 50;

  private static String suggestion(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = editDistance(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    if (best != null && bestDistance <= Math.max(2, key.length() / 4)) {
      return "; did you mean '" + best + "'?";
    }
    String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
    List<String> inSection = known.stream().filter(k -> k.startsWith(section + ".")).toList();
    return inSection.isEmpty() ? "; known sections: " + sections(known) : "; known keys: " + inSection;
  }

  private static Set<String> sections(Set<String> known) {
    Set<String> s = new TreeSet<>();
    for (String k : known) {
      s.add(k.contains(".") ? k.substring(0, k.indexOf('.')) : k);
    }
    return s;
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static ConfigProblem fromException(ConfigException e) {
    ConfigProblem included = ScenarioSources.problemOf(e);
    if (included != null) {
      return included;
    }
    ConfigOrigin origin = e.origin();
    String message = e.getMessage();
    String where = origin == null ? "" : where(origin);
    if (origin != null && message.startsWith(origin.description() + ": ")) {
      message = message.substring(origin.description().length() + 2);
    }
    message = ConfigProblem.decodeLines(message);
    String path = e instanceof ConfigException.BadPath bp ? "(path)" : "(syntax)";
    return new ConfigProblem(where, path, message);
  }

  /** A value as a message shows it: as written, cut at 100 characters. */
  static String shown(ConfigValue v) {
    String s = v.render(ConfigRenderOptions.concise());
    return s.length() <= 100 ? s : s.substring(0, 96) + " ...";
  }

  static String where(ConfigOrigin origin) {
    return ConfigProblem.placeOf(origin);
  }

  /** Typed reads that record a problem instead of throwing, so every problem is reported at once. */
  static final class Reader {
    private static final Pattern BARE_NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final Config config;
    private final List<ConfigProblem> problems;
    /** Key path of {@link #config} within the scenario, e.g. {@code machine.numa[1].}; else empty. */
    private final String prefix;

    Reader(Config config, List<ConfigProblem> problems) {
      this(config, problems, "");
    }

    private Reader(Config config, List<ConfigProblem> problems, String prefix) {
      this.config = config;
      this.problems = problems;
      this.prefix = prefix;
    }

    /**
     * Readers for the objects of a list such as {@code machine.numa}, each reporting under
     * {@code path[i].}; unknown keys in an element are problems too.
     */
    List<Reader> objects(String path, Set<String> keys) {
      List<Reader> out = new ArrayList<>();
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
          problems.add(new ConfigProblem(where(v.origin()), prefix + at,
              "expected an object with keys " + new TreeSet<>(keys) + ", got " + shown(v)));
          continue;
        }
        Config element = ((com.typesafe.config.ConfigObject) v).toConfig();
        Reader r = new Reader(element, problems, prefix + at + ".");
        for (Map.Entry<String, ConfigValue> e : element.entrySet()) {
          if (!keys.contains(e.getKey())) {
            problems.add(new ConfigProblem(where(e.getValue().origin()), prefix + at + "." + e.getKey(),
                "unknown key; known keys here: " + new TreeSet<>(keys)));
          }
        }
        boolean complete = true;
        for (String k : new TreeSet<>(keys)) {
          if (!element.hasPathOrNull(k)) {
            problems.add(new ConfigProblem(where(v.origin()), prefix + at + "." + k, "missing"));
            complete = false;
          }
        }
        if (complete) {
          out.add(r);
        }
      }
      return out;
    }

    /** Problems recorded so far, by every reader of this scenario. */
    int problemCount() {
      return problems.size();
    }

    void bad(String path, String message) {
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

    /** The value as written, for messages; never throws (a null value or a missing one has no value). */
    private String rendered(String path) {
      try {
        return shown(config.getValue(path));
      } catch (ConfigException.Null e) {
        return "null";
      } catch (ConfigException e) {
        return "no value (" + fromException(e).message() + ")";
      }
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
      Map<String, Long> out = new java.util.TreeMap<>();
      Config section;
      try {
        section = config.getConfig(path);
      } catch (ConfigException e) {
        bad(path, "expected a section of name = duration pairs, got " + rendered(path));
        return out;
      }
      for (String key : section.root().keySet()) {
        String sub = key.matches("[A-Za-z0-9_-]+") ? key : com.typesafe.config.ConfigUtil.quoteString(key);
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
  }

  /** Parses a duration the way scenario keys are parsed: bare number ns, else a HOCON duration. */
  public static long parseDurationNs(String text) {
    List<ConfigProblem> problems = new ArrayList<>();
    Config c;
    try {
      c = ConfigFactory.parseString("d = " + text);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("cannot read duration '" + text + "'; write e.g. 100us, 2ms or 1s");
    }
    long ns = new Reader(c, problems).duration("d", 0);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("cannot read duration '" + text + "': " + problems.get(0).message());
    }
    return ns;
  }
}
