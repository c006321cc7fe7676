package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The keys a scenario has, those of its defaults: reports the keys a scenario sets that it does not
 * have, each with a suggestion (or, for a retired key, what replaces it), and reads the {@code sweep}
 * section, whose keys name scenario keys.
 */
final class KeySchema {

  /** Sections whose keys are names chosen by the user (syscall names), not a fixed schema. */
  private static final List<String> OPEN_SECTIONS = List.of("costs.syscall.local", "costs.syscall.linux",
      "noise.profiles", "sweep");

  /**
   * Keys scenarios once had, each with what replaces it: keys that said again what a {@code costs.*}
   * key already says (a scenario that still sets one is told which key to set instead, never silently
   * ignored).
   */
  static final Map<String, String> RETIRED = Map.of(
      "chaos.proxy-forward", "a chaos job's offloaded call costs what every offload costs; set the stages "
          + "costs.offload.* (marshal, ikc-enqueue, mcctrl-dispatch, proxy-wakeup, reply-write, resume) "
          + "and costs.ikc.* instead",
      "chaos.job.syscall", "the job's offloaded call is pwrite64, served on Linux in what every pwrite64 "
          + "takes; set costs.syscall.linux.pwrite64 instead",
      "chaos.linux-work.period", "it no longer has a meaning: the Linux-side work runs its slices back to "
          + "back on a Linux CPU of its own; remove it (a slice's cost is chaos.linux-work.work)");

  /** Unknown keys reported one by one, each with a suggestion. */
  static final int UNKNOWN_KEYS_REPORTED = 50;

  /** Runs of one sweep (the product of its lists' lengths): each is a whole run of the scenario. */
  static final int MAX_SWEEP_RUNS = 4096;

  /** Every key of the defaults, in order. */
  private final Set<String> known = new TreeSet<>();
  /** Every section of the defaults, such as {@code costs} and {@code costs.ikc}. */
  private final Set<String> sections = new HashSet<>();

  KeySchema(Config defaults) {
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
      known.add(e.getKey());
      for (int dot = e.getKey().indexOf('.'); dot > 0; dot = e.getKey().indexOf('.', dot + 1)) {
        sections.add(e.getKey().substring(0, dot));
      }
    }
  }

  /**
   * Problems for the keys of {@code user} the scenario does not have. The first
   * {@link #UNKNOWN_KEYS_REPORTED} each get a suggestion; the rest are counted in one more problem (a file
   * of thousands of unknown keys is the wrong file, and each suggestion costs a pass over the known keys).
   */
  void unknownKeys(Config user, List<ConfigProblem> problems) {
    List<Map.Entry<String, ConfigValue>> unknown = user.entrySet().stream()
        .filter(e -> !known.contains(e.getKey()) && OPEN_SECTIONS.stream().noneMatch(
            section -> e.getKey().startsWith(section + ".")))
        // `run = 5` is a misused section, not an unknown key; the typed reads report it once
        .filter(e -> !sections.contains(e.getKey()))
        .sorted(Map.Entry.comparingByKey())
        .toList();
    for (Map.Entry<String, ConfigValue> e : unknown.subList(0, Math.min(unknown.size(), UNKNOWN_KEYS_REPORTED))) {
      problems.add(new ConfigProblem(ConfigReader.where(e.getValue().origin()), e.getKey(),
          RETIRED.containsKey(e.getKey()) ? retired(e.getKey()) : "unknown key" + suggestion(e.getKey())));
    }
    if (unknown.size() > UNKNOWN_KEYS_REPORTED) {
      Map.Entry<String, ConfigValue> next = unknown.get(UNKNOWN_KEYS_REPORTED);
      problems.add(new ConfigProblem(ConfigReader.where(next.getValue().origin()), next.getKey(), String.format(
          "and %,d more unknown keys from here on; is this a scenario file?", unknown.size() - UNKNOWN_KEYS_REPORTED)));
    }
  }

  /**
   * The {@code sweep} section: scenario keys, each with the list of values to run it with, in key
   * order, each value HOCON text ready for a {@code key=value} override; and {@code zip}, groups of those
   * keys that vary together.
   */
  Sweep sweep(ConfigReader r, Config merged) {
    Map<String, List<String>> out = new TreeMap<>();
    if (!merged.hasPath("sweep")) {
      return Sweep.NONE;
    }
    for (Map.Entry<String, ConfigValue> e : merged.getConfig("sweep").entrySet()) {
      String key = e.getKey();
      String at = "sweep." + key;
      if (key.equals(ZIP)) {
        continue;
      }
      boolean open = OPEN_SECTIONS.stream().anyMatch(s -> !s.equals("sweep") && key.startsWith(s + "."));
      if (key.startsWith("sweep.") || (!known.contains(key) && !open)) {
        r.problem(e.getValue(), at, "a sweep lists values of a scenario key, and '" + key + "' is not one"
            + (RETIRED.containsKey(key) ? "; " + retired(key) : suggestion(key)));
        continue;
      }
      if (e.getValue().valueType() != ConfigValueType.LIST || ((ConfigList) e.getValue()).isEmpty()) {
        r.problem(e.getValue(), at, "expected a non-empty list of values to run with, such as [1, 2, 4], got "
            + ConfigReader.shown(e.getValue()));
        continue;
      }
      List<String> values = new ArrayList<>();
      for (ConfigValue v : (ConfigList) e.getValue()) {
        values.add(v.render(ConfigRenderOptions.concise()));
      }
      out.put(key, List.copyOf(values));
    }
    Sweep sweep = new Sweep(out, zipped(r, merged, out));
    if (sweep.runs() > MAX_SWEEP_RUNS) {
      r.problem(merged.getValue("sweep"), "sweep", String.format(
          "more than %,d combinations of values, each a whole run; a sweep runs at most %,d", MAX_SWEEP_RUNS,
          MAX_SWEEP_RUNS));
    }
    return sweep;
  }

  /** The key of the sweep section that lists groups of keys varying together. */
  static final String ZIP = "zip";

  /**
   * {@code sweep.zip}: a list of groups, each a list of at least two of the sweep's keys whose lists have
   * one length, no key in two groups; a bad group is reported and left out.
   */
  private static List<List<String>> zipped(ConfigReader r, Config merged, Map<String, List<String>> values) {
    if (!merged.hasPath("sweep." + ZIP)) {
      return List.of();
    }
    String at = "sweep." + ZIP;
    String usage = "expected a list of groups of swept keys that vary together, such as zip = [[a.b, c.d]]";
    ConfigValue all = merged.getValue(at);
    if (all.valueType() != ConfigValueType.LIST) {
      r.problem(all, at, usage + ", got " + ConfigReader.shown(all));
      return List.of();
    }
    List<List<String>> groups = new ArrayList<>();
    java.util.Set<String> taken = new HashSet<>();
    ConfigList list = (ConfigList) all;
    for (int i = 0; i < list.size(); i++) {
      ConfigValue g = list.get(i);
      String where = at + "[" + i + "]";
      List<String> group = new ArrayList<>();
      if (g.valueType() == ConfigValueType.LIST) {
        for (ConfigValue k : (ConfigList) g) {
          group.add(k.valueType() == ConfigValueType.STRING ? (String) k.unwrapped() : ConfigReader.shown(k));
        }
      }
      if (group.size() < 2) {
        r.problem(g, where, usage + " (at least two keys), got " + ConfigReader.shown(g));
        continue;
      }
      String problem = null;
      java.util.Set<String> mine = new HashSet<>();
      for (String key : group) {
        if (!values.containsKey(key)) {
          problem = "'" + key + "' is not a key of this sweep; zip names keys the sweep lists values of";
        } else if (values.get(key).size() != values.get(group.get(0)).size()) {
          problem = "the keys of a group vary together and need lists of one length; " + group.get(0) + " has "
              + values.get(group.get(0)).size() + " values, " + key + " " + values.get(key).size();
        } else if (taken.contains(key) || !mine.add(key)) {
          problem = "'" + key + "' is in two groups (or twice in one); a key varies with one group only";
        }
        if (problem != null) {
          break;
        }
      }
      if (problem != null) {
        r.problem(g, where, problem);
        continue;
      }
      taken.addAll(group);
      groups.add(group);
    }
    return groups;
  }

  /** Why a retired key is refused: {@code "retired key: WHAT REPLACES IT"}. */
  private static String retired(String key) {
    return "retired key: " + RETIRED.get(key);
  }

  /** The known key closest to {@code key}; else the keys of its section, or the sections if it has none. */
  private String suggestion(String key) {
    String near = Suggestions.didYouMean(key, known, Math.max(2, key.length() / 4));
    if (!near.isEmpty()) {
      return near;
    }
    String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
    List<String> inSection = known.stream().filter(k -> k.startsWith(section + ".")).toList();
    return inSection.isEmpty() ? "; known sections: " + topSections() : "; known keys: " + inSection;
  }

  private Set<String> topSections() {
    Set<String> s = new TreeSet<>();
    for (String k : known) {
      s.add(k.contains(".") ? k.substring(0, k.indexOf('.')) : k);
    }
    return s;
  }
}
