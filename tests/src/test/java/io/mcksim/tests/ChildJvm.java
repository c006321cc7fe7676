package io.mcksim.tests;

import io.mcksim.cli.Mcksim;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** A command line for a child JVM with this JVM's java, module flags and class path. */
final class ChildJvm {

  private ChildJvm() {
  }

  /**
   * {@code java [flags] -Xmx{heap} [props] -cp CLASSPATH MAIN ARGS}: the flags are this JVM's
   * {@code --add-opens} and {@code -Xss}; {@code props} are further JVM options such as {@code -Dk=v}.
   */
  static List<String> command(String heap, List<String> props, String main, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("java.base/") || a.startsWith("-Xss")) {
        command.add(a);
      }
    }
    command.add("-Xmx" + heap);
    command.addAll(props);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main);
    command.addAll(args);
    return command;
  }

  /** The mcksim command line in a child JVM with a 512 MB heap. */
  static List<String> mcksim(List<String> props, String... args) {
    return command("512m", props, Mcksim.class.getName(), List.of(args));
  }
}
