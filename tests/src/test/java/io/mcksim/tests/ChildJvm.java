package io.mcksim.tests;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a JVM started from this one as {@code bin/mcksim} starts the CLI (its
 * {@code --add-opens} flags, which the build gives the test JVM from {@code mcksim.jvm.opens}, and a
 * 4 MB thread stack), with a 512 MB heap and this JVM's class path.
 */
final class ChildJvm {

  private ChildJvm() {
  }

  /** {@code java FLAGS -Xmx512m PROPERTIES -cp CLASSPATH MAIN ARGS}. */
  static List<String> command(List<String> properties, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> input = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (int i = 0; i < input.size(); i++) {
      String a = input.get(i);
      if (a.equals("--add-opens") && i + 1 < input.size()) {
        command.add(a);
        command.add(input.get(++i));
      } else if (a.startsWith("--add-opens=")) {
        command.add(a);
      }
    }
    command.addAll(List.of("-Xss4m", "-Xmx512m", "-Djava.awt.headless=true"));
    command.addAll(properties);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** The mcksim command line in a child JVM. */
  static List<String> mcksim(List<String> properties, String... args) {
    return command(properties, io.mcksim.cli.Mcksim.class.getName(), List.of(args));
  }
}
