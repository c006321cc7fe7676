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

  private static final Set<String> PROFILE_KEYS = Set.of("tick", "daemons", "interrupts", "traces");

  private NoiseSchema() {}

  static NoiseSettings read(ScenarioLoader.Reader r, Config merged) {
    Map<String, NoiseSettings.Profile> profiles = new TreeMap<>();
    ConfigObject all;
    try {
      all = merged.getObject("noise.profiles");
    } catch (ConfigException e) {
      r.bad("noise.profiles", "expected an object of profiles, noise.profiles { my-profile { ... } }");
      return new NoiseSettings(profiles);
    }
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
        r.bad(at, "expected a profile { tick = [...], daemons = [...], interrupts = [...], traces = [...] }");
        continue;
      }
      for (String key : new TreeSet<>(((ConfigObject) v).keySet())) {
        if (!PROFILE_KEYS.contains(key)) {
          r.bad(at + "." + key, "unknown key; known keys here: " + new TreeSet<>(PROFILE_KEYS));
        }
      }
      Config p = ((ConfigObject) v).toConfig();
      List<NoiseSettings.Tick> ticks = new ArrayList<>();
      for (ScenarioLoader.Reader e : list(r, p, at, "tick", Set.of("frequency", "duration", "cpus"))) {
        ticks.add(new NoiseSettings.Tick(cpus(e), e.intIn("frequency", 1, 1_000_000), e.duration("duration", 1)));
      }
      List<NoiseSettings.Daemons> daemons = new ArrayList<>();
      for (ScenarioLoader.Reader e : list(r, p, at, "daemons",
          Set.of("gap", "duration", "phase", "cpus"))) {
        boolean aligned = e.oneOf("phase", Set.of("random", "aligned")).equals("aligned");
        daemons.add(new NoiseSettings.Daemons(cpus(e), spread(e, "gap"), spread(e, "duration"), aligned));
      }
      List<NoiseSettings.Interrupts> interrupts = new ArrayList<>();
      for (ScenarioLoader.Reader e : list(r, p, at, "interrupts", Set.of("rate", "cost", "cpus"))) {
        interrupts.add(new NoiseSettings.Interrupts(cpus(e), e.doubleIn("rate", 1e-3, 1e8),
            e.duration("cost", 1)));
      }
      List<NoiseSettings.Trace> traces = new ArrayList<>();
      for (ScenarioLoader.Reader e : list(r, p, at, "traces", Set.of("file", "cpus"))) {
        Path file = Path.of(e.string("file"));
        if (!Files.isReadable(file)) {
          e.bad("file", "no readable file " + file.toAbsolutePath() + "; give the path of a file of "
              + "(start, duration) pairs in ns, relative to the directory mcksim runs in");
        }
        traces.add(new NoiseSettings.Trace(cpus(e), file));
      }
      profiles.put(name, new NoiseSettings.Profile(ticks, daemons, interrupts, traces));
    }
    return new NoiseSettings(profiles);
  }

  /** The element readers of list {@code key} of the profile at {@code at}, none when it is absent. */
  private static List<ScenarioLoader.Reader> list(ScenarioLoader.Reader r, Config profile, String at,
      String key, Set<String> keys) {
    return profile.hasPath(key) ? r.objects(at + "." + key, keys) : List.of();
  }

  private static final Pattern SPREAD = Pattern.compile("\\s*(fixed|uniform|exponential)\\s*\\((.*)\\)\\s*");

  /** A spread such as {@code exponential(10ms)}, {@code uniform(5us, 50us)} or {@code fixed(20us)}. */
  static NoiseSettings.Spread spread(ScenarioLoader.Reader e, String key) {
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
        v[i] = ScenarioLoader.parseDurationNs(args[i].trim());
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
  private static CpuList cpus(ScenarioLoader.Reader e) {
    return e.string("cpus").equals("all") ? null : e.cpuList("cpus");
  }
}
