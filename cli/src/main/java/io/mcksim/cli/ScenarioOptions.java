package io.mcksim.cli;

import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The scenario file and {@code --set} overrides shared by the commands that read a scenario. */
final class ScenarioOptions {

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "Scenario file (HOCON). Without one, the built-in default scenario runs.")
  Path file;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one key, e.g. --set run.seed=7 (repeatable; wins over the file).")
  List<String> overrides = new ArrayList<>();

  Scenario load(List<String> extra) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(extra);
    return new ScenarioLoader().load(file, all);
  }
}
