package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a scenario: the defaults of {@code mcksim.scenario} in reference.conf, overridden by the
 * platform the scenario names ({@link Platforms}), overridden by a HOCON file, overridden by
 * {@code key=value} settings. Rejects it with every problem at once, each with its
 * file:line and key path, before anything runs.
 *
 * <p>The loader gathers the sources, bounds and resolves them, and assembles the {@link Scenario}; each
 * section is read and checked by its schema through a {@link ConfigReader}: {@link RunSchema},
 * {@link NodeSchema}, {@link NoiseSchema}, {@link OsSchema}, {@link CostSchema}, {@link WorkloadSchema},
 * {@link BspSchema}, {@link ChaosSchema}, and {@link KeySchema} for the keys themselves and the sweep.
 */
public final class ScenarioLoader {

  private static final String ROOT = "mcksim.scenario";

  private final Config defaults;
  private final KeySchema keys;

  public ScenarioLoader() {
    this(ConfigFactory.defaultReference().getConfig(ROOT));
  }

  ScenarioLoader(Config defaults) {
    this.defaults = defaults;
    this.keys = new KeySchema(defaults);
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
      problems.add(ConfigProblem.of(e));
    }
    return build(user, problems);
  }

  private Scenario build(Config user, List<ConfigProblem> problems) {
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems);
    }
    keys.unknownKeys(user, problems);
    int before = problems.size();
    Config platform = Platforms.selected(user, problems);
    if (problems.size() > before) {
      // an unknown platform: the rest would be checked against the wrong machine
      throw new ScenarioException(problems);
    }
    Config unresolved = user.withFallback(platform).withFallback(defaults);
    ConfigProblem expansion = ExpansionCheck.check(unresolved);
    if (expansion != null) {
      problems.add(expansion);
      throw new ScenarioException(problems);
    }
    Config merged;
    try {
      merged = unresolved.resolve(ConfigResolveOptions.defaults());
    } catch (ConfigException e) {
      problems.add(ConfigProblem.of(e));
      throw new ScenarioException(problems);
    }
    ConfigReader r = new ConfigReader(merged, problems);
    RunSettings run = RunSchema.run(r);
    PholdSettings phold = RunSchema.phold(r);
    MachineSettings machine = NodeSchema.machine(r);
    NoiseSettings noise = NoiseSchema.read(r, merged);
    Set<String> noiseNames = noise.names();
    OsSettings os = OsSchema.read(r, noiseNames);
    PartitionSettings partition = NodeSchema.partition(r, machine, os);
    LifecycleCosts lifecycle = CostSchema.lifecycle(r);
    NodeSchema.checkBootTimes(r, partition, lifecycle);
    IkcCostSettings ikc = CostSchema.ikc(r);
    OffloadCosts offload = CostSchema.offload(r);
    SyscallCosts syscalls = CostSchema.syscalls(r);
    McKernelCosts mckernel = CostSchema.mckernel(r);
    LaunchCosts launch = CostSchema.launch(r);
    RemoteFaultCosts remoteFault = CostSchema.remoteFault(r);
    WorkloadSettings workload = WorkloadSchema.read(r, noiseNames, machine);
    InterconnectSettings interconnect = BspSchema.interconnect(r);
    ChaosSettings chaos = ChaosSchema.read(r);
    Sweep sweep = keys.sweep(r, merged);
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems);
    }
    return new Scenario(merged, run, phold, machine, partition, os, lifecycle, ikc, offload, syscalls,
        remoteFault, mckernel, launch, workload, noise, interconnect, sweep, chaos);
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
      problems.add(ConfigProblem.of(e));
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
      problems.add(new ConfigProblem("--set", key, "cannot parse '" + value + "': " + ConfigProblem.of(e).message()));
      return ConfigFactory.empty();
    }
  }

  /**
   * Parses a duration the way scenario keys are parsed: bare number ns, else a HOCON duration; see
   * {@link ConfigReader#parseDurationNs}.
   */
  public static long parseDurationNs(String text) {
    return ConfigReader.parseDurationNs(text);
  }
}
