package io.mcksim.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mcksim config [FILE] [--set k=v]}: the effective configuration, or every error in it. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Print the effective scenario (defaults, file, --set), or its errors with exit code 2.")
final class ConfigCommand implements Callable<Integer> {

  @Mixin
  ScenarioOptions scenario;

  @picocli.CommandLine.Option(names = "--reference", description = "Print the configuration reference "
      + "(every key, its default and its meaning; docs/configuration.md) instead.")
  boolean reference;

  @Override
  public Integer call() {
    if (reference) {
      System.out.print(ConfigReference.render());
      return 0;
    }
    io.mcksim.config.Scenario s = scenario.load(List.of());
    Validation.check(s, scenario::load);
    System.out.println(s.render());
    return 0;
  }
}
