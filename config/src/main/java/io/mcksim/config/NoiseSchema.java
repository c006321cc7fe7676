package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code noise} section: the scenario's own noise profiles. */
final class NoiseSchema {

  private static final Set<String> PROFILE_KEYS = Set.of("tick", "daemons", "interrupts", "traces", "injection");

  private static final Set<String> INJECTION_KEYS = Set.of("frequency", "duration", "net", "phase", "cpus");

  private NoiseSchema() {}

  static NoiseSettings read(ConfigReader r, Config merged) {
    Map<String, NoiseSettings.Profile> profiles = new TreeMap<>();
    ConfigObject all;
    try {
      all = merged.getObject("noise.profiles");
    } catch (ConfigException e) {
      r.bad("noise.profiles", "expected an object of profiles, noise.profiles { my-profile { ... } }");
      return new NoiseSettings(profiles);
    }
    int sources = 0;
    for (String name : new TreeSet<>(all.keySet())) {
      String at = "noise.profiles." + name;
      if (!name.matches("[A-Za-z0-9_-]+")) {
        r.bad("noise.profiles", "profile name '" + name + "': use letters, digits, '-' and '_' only");
        continue;
      }
      if (NoiseSettings.BUILT_IN.contains(name)) {
        r.bad(at, "'" + name + "' is a built-in profile; give yours another name");
        continue;
      }
      ConfigValue v = all.get(name);
      if (v.valueType() != ConfigValueType.OBJECT) {
        r.bad(at, "expected a profile { tick = [...], daemons = [...], interrupts = [...], traces = [...],"
            + " injection { ... } }");
        continue;
      }
      for (String key : new TreeSet<>(((ConfigObject) v).keySet())) {
        if (!PROFILE_KEYS.contains(key)) {
          r.bad(at + "." + key, "unknown key; known keys here: " + new TreeSet<>(PROFILE_KEYS));
        }
      }
      Config p = ((ConfigObject) v).toConfig();
      Busy busy = new Busy();
      List<NoiseSettings.Tick> ticks = new ArrayList<>();
      for (ConfigReader e : list(r, p, at, "tick", Set.of("frequency", "duration", "cpus", "phase"),
          Set.of("phase"))) {
        int frequency = e.intIn("frequency", 1, MAX_RATE);
        long duration = e.duration("duration", 1);
        NoiseSettings.Tick tick = new NoiseSettings.Tick(cpus(e), frequency, duration,
            phase(e, NoiseSettings.Phase.NODE));
        ticks.add(periodic(e, "a tick", tick, busy));
      }
      if (p.hasPath("injection")) {
        NoiseSettings.Tick injected = injection(r, p, at + ".injection");
        if (injected != null) {
          ticks.add(injected);
          busy.add(injected.cpus(), (double) injected.duration() / injected.period());
        }
      }
      List<NoiseSettings.Daemons> daemons = new ArrayList<>();
      for (ConfigReader e : list(r, p, at, "daemons", Set.of("gap", "duration", "phase", "cpus"),
          Set.of("phase"))) {
        NoiseSettings.Phase phase = phase(e, NoiseSettings.Phase.RANDOM);
        int before = e.problemCount();
        NoiseSettings.Spread gap = spread(e, "gap");
        boolean gapRead = e.problemCount() == before;
        if (gapRead && mean(gap) < MIN_MEAN_GAP_NS) {
          e.bad("gap", "a mean gap of " + (long) mean(gap) + "ns wakes the daemons more than " + String.format("%,d",
              MAX_RATE) + " times a second (a gap of 0 never lets the CPU go); give at least 1us on average,"
              + " such as exponential(10ms)");
        }
        NoiseSettings.Spread length = spread(e, "duration");
        CpuList cpus = cpus(e);
        if (gapRead && mean(gap) >= MIN_MEAN_GAP_NS) { // a bad gap is reported already, not counted again
          busy.add(cpus, mean(length) / mean(gap));
        }
        daemons.add(new NoiseSettings.Daemons(cpus, gap, length, phase));
      }
      List<NoiseSettings.Interrupts> interrupts = new ArrayList<>();
      for (ConfigReader e : list(r, p, at, "interrupts", Set.of("rate", "cost", "cpus"))) {
        double rate = e.doubleIn("rate", 1e-3, MAX_RATE);
        long cost = e.duration("cost", 1);
        CpuList cpus = cpus(e);
        busy.add(cpus, rate * cost / 1e9);
        interrupts.add(new NoiseSettings.Interrupts(cpus, rate, cost));
      }
      List<NoiseSettings.Trace> traces = new ArrayList<>();
      for (ConfigReader e : list(r, p, at, "traces", Set.of("file", "cpus"))) {
        Path file = traceFile(e);
        traces.add(new NoiseSettings.Trace(cpus(e), file));
      }
      sources += ticks.size() + daemons.size() + interrupts.size() + traces.size();
      if (sources > MAX_SOURCES) {
        r.bad(at, "more than " + MAX_SOURCES + " noise sources in the scenario's profiles; a CPU's noise is a"
            + " handful of sources, and each is walked for every piece of work");
        break;
      }
      busy.check(r, at);
      profiles.put(name, new NoiseSettings.Profile(ticks, daemons, interrupts, traces));
    }
    return new NoiseSettings(profiles);
  }

  /**
   * Interruptions per second one source may cause on a CPU, on average: a million (one per microsecond).
   * Each is an event the CPU's timeline walks; more would take longer to simulate than to live through,
   * and real ticks, daemons and interrupts stay far below it.
   */
  static final int MAX_RATE = 1_000_000;

  /** The least mean gap between a daemon's wake-ups: 1 us, {@link #MAX_RATE} a second. */
  static final long MIN_MEAN_GAP_NS = 1_000_000_000L / MAX_RATE;

  /**
   * The most of a CPU's time its noise may take, on average: 90%. Beyond that the CPU's work barely
   * runs; at 100% and over it never does, and the run would wait for it forever.
   */
  static final double MAX_BUSY = 0.9;

  /** Noise sources of all profiles together. */
  static final int MAX_SOURCES = 256;

  /** The average share of each CPU's time a profile's sources take (tick, daemons, interrupts). */
  private static final class Busy {
    private double everyCpu;
    private double[] perCpu;

    void add(CpuList cpus, double share) {
      if (cpus == null) {
        everyCpu += share;
        return;
      }
      if (perCpu == null) {
        perCpu = new double[CpuList.MAX_ID + 1];
      }
      for (int i = 0; i < cpus.size(); i++) {
        perCpu[cpus.get(i)] += share;
      }
    }

    void check(ConfigReader r, String at) {
      int worst = -1;
      double most = everyCpu;
      for (int cpu = 0; perCpu != null && cpu < perCpu.length; cpu++) {
        if (everyCpu + perCpu[cpu] > most) {
          most = everyCpu + perCpu[cpu];
          worst = cpu;
        }
      }
      if (most > MAX_BUSY) {
        r.bad(at, String.format("its sources keep %s busy %.0f%% of the time on average; a CPU's noise may take"
            + " at most %.0f%% of it (beyond that its work barely runs, at 100%% never): make gaps longer or"
            + " durations, costs and rates smaller", worst < 0 ? "every CPU" : "CPU " + worst, most * 100,
            MAX_BUSY * 100));
      }
    }
  }

  private static double mean(NoiseSettings.Spread s) {
    return s.kind().equals("uniform") ? (s.a() + s.b()) / 2.0 : s.a();
  }

  /** The trace file of a trace source, read and checked now as the run will read it. */
  private static Path traceFile(ConfigReader e) {
    String name = e.string("file");
    Path file;
    try {
      file = Path.of(name);
    } catch (java.nio.file.InvalidPathException x) {
      e.bad("file", "'" + name + "' is not a file name: " + x.getReason());
      return Path.of("");
    }
    if (!Files.isReadable(file)) {
      e.bad("file", "no readable file " + file.toAbsolutePath() + "; give the path of a file of "
          + "(start, duration) pairs in ns, relative to the directory mcksim runs in");
      return file;
    }
    try {
      NoiseTrace.read(file);
    } catch (IllegalArgumentException x) {
      e.bad("file", x.getMessage());
    } catch (java.io.IOException x) {
      e.bad("file", "cannot read " + file + ": " + x.getMessage());
    }
    return file;
  }

  /** The element readers of list {@code key} of the profile at {@code at}, none when it is absent. */
  private static List<ConfigReader> list(ConfigReader r, Config profile, String at,
      String key, Set<String> keys) {
    return list(r, profile, at, key, keys, Set.of());
  }

  /** The same, the keys of {@code optional} allowed to be absent. */
  private static List<ConfigReader> list(ConfigReader r, Config profile, String at,
      String key, Set<String> keys, Set<String> optional) {
    return profile.hasPath(key) ? r.objects(at + "." + key, keys, optional) : List.of();
  }

  /** The phase of a source, {@code absent} when it names none. */
  private static NoiseSettings.Phase phase(ConfigReader e, NoiseSettings.Phase absent) {
    if (e.field("phase") == null) {
      return absent;
    }
    String word = e.keywordField("phase", List.of("random", "node", "aligned"));
    return word == null ? absent : NoiseSettings.Phase.valueOf(word.toUpperCase(java.util.Locale.ROOT));
  }

  /** {@code tick}, checked to leave its CPUs time, its share counted. */
  private static NoiseSettings.Tick periodic(ConfigReader e, String what, NoiseSettings.Tick tick, Busy busy) {
    long period = tick.period();
    if (tick.duration() >= period) {
      e.bad("duration", what + " of " + tick.duration() + "ns every " + period + "ns (" + tick.frequency()
          + " Hz) leaves the CPU no time; make it shorter than the period");
    } else {
      busy.add(tick.cpus(), (double) tick.duration() / period);
    }
    return tick;
  }

  /**
   * The profile's {@code injection}: periodic noise at {@code frequency} Hz of {@code duration} each, or
   * taking {@code net} percent of each CPU's time; null after a problem. An object, not a list, so that
   * a sweep can vary its keys.
   */
  private static NoiseSettings.Tick injection(ConfigReader r, Config profile, String at) {
    ConfigValue v = profile.getValue("injection");
    if (v.valueType() != ConfigValueType.OBJECT) {
      r.bad(at, "expected an object { frequency = 100, duration = 10us } or { frequency = 100, net = 1% }");
      return null;
    }
    ConfigReader e = r.object((ConfigObject) v, at);
    for (String key : new TreeSet<>(((ConfigObject) v).keySet())) {
      if (!INJECTION_KEYS.contains(key)) {
        e.bad(key, "unknown key; known keys here: " + new TreeSet<>(INJECTION_KEYS));
      }
    }
    int before = e.problemCount();
    double frequency = e.doubleIn("frequency", 1e-3, MAX_RATE);
    boolean byDuration = e.field("duration") != null;
    if (byDuration == (e.field("net") != null)) {
      r.bad(at, "give either duration (each interruption's length) or net (the share of the time it takes,"
          + " such as 1%), not " + (byDuration ? "both" : "neither"));
      return null;
    }
    long period = (long) (1e9 / frequency);
    long duration = byDuration ? e.duration("duration", 1) : Math.round(net(e) / 100 * period);
    CpuList cpus = e.field("cpus") == null ? null : cpus(e);
    NoiseSettings.Tick tick = new NoiseSettings.Tick(cpus, frequency, duration, phase(e, NoiseSettings.Phase.RANDOM));
    if (e.problemCount() > before) {
      return null;
    }
    if (duration < 1 || duration >= period) {
      e.bad(byDuration ? "duration" : "net", "an injection of " + duration + "ns every " + period + "ns ("
          + frequency + " Hz): give it at least 1ns and less than the period");
      return null;
    }
    return tick;
  }

  /** {@code net}: a percentage in (0, 90], written 1.5 or "1.5%". */
  private static double net(ConfigReader e) {
    ConfigValue v = e.field("net");
    String text = String.valueOf(v.unwrapped()).trim();
    try {
      double pct = Double.parseDouble(text.endsWith("%") ? text.substring(0, text.length() - 1).trim() : text);
      if (pct > 0 && pct <= MAX_BUSY * 100) {
        return pct;
      }
    } catch (NumberFormatException x) {
      // reported below
    }
    e.bad("net", "expected a share of the time above 0% and at most " + (int) (MAX_BUSY * 100)
        + "%, such as 1% or 2.5, got " + ConfigReader.unquoted(v));
    return 0;
  }

  private static final Pattern SPREAD = Pattern.compile("\\s*(fixed|uniform|exponential)\\s*\\((.*)\\)\\s*");

  /** A spread such as {@code exponential(10ms)}, {@code uniform(5us, 50us)} or {@code fixed(20us)}. */
  static NoiseSettings.Spread spread(ConfigReader e, String key) {
    String text = e.string(key);
    Matcher m = SPREAD.matcher(text);
    String usage = "expected fixed(D), uniform(LOW, HIGH) or exponential(MEAN) with durations such as "
        + "10us, got '" + text + "'";
    if (!m.matches()) {
      e.bad(key, usage);
      return new NoiseSettings.Spread("fixed", 0, 0);
    }
    String[] args = m.group(2).split(",");
    int want = m.group(1).equals("uniform") ? 2 : 1;
    long[] v = new long[2];
    try {
      if (args.length != want) {
        throw new IllegalArgumentException(m.group(1) + " takes " + want + " duration" + (want == 1 ? "" : "s"));
      }
      for (int i = 0; i < want; i++) {
        v[i] = ConfigReader.parseDurationNs(args[i].trim());
        if (v[i] < 0) {
          throw new IllegalArgumentException("durations must not be negative");
        }
      }
    } catch (RuntimeException x) {
      e.bad(key, usage + " (" + x.getMessage() + ")");
      return new NoiseSettings.Spread("fixed", 0, 0);
    }
    if (want == 1) {
      v[1] = v[0];
    } else if (v[1] < v[0]) {
      e.bad(key, "uniform(LOW, HIGH) needs LOW <= HIGH, got '" + text + "'");
      return new NoiseSettings.Spread("fixed", 0, 0);
    }
    if (m.group(1).equals("exponential") && v[0] == 0) {
      e.bad(key, "exponential(MEAN) needs a mean above 0, got '" + text + "'");
    }
    return new NoiseSettings.Spread(m.group(1), v[0], v[1]);
  }

  /** {@code cpus = all} (null: every Linux CPU), or a CPU list such as "0-3,8". */
  private static CpuList cpus(ConfigReader e) {
    return e.string("cpus").equals("all") ? null : e.cpuList("cpus");
  }
}
