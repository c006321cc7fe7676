package io.mcksim.cli;

import io.mcksim.actors.engine.ClusterEngine;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.actors.phold.Phold;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.mckernel.bsp.BspSetup;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The two halves every worker JVM needs: how it is started on this machine, and how it builds its model. */
public final class WorkerJvms {

  private WorkerJvms() {}

  /**
   * Starts {@code workers} worker JVMs on this machine once the coordinating JVM listens: this JVM's
   * java, class path and flags (no heap size, agent or recording of its own), a heap of {@code heap}
   * each ("4g"), standard output discarded, errors on this JVM's, and standard input a pipe whose end
   * tells a worker that this JVM is gone. The run's TLS keys, if it has any, reach each worker in its
   * environment, never on its command line.
   */
  public static ClusterEngine.Launcher onThisMachine(int workers, String host, String heap) {
    return (hostPort, tls) -> {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse(
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (!arg.startsWith("-Xmx") && !arg.startsWith("-Xms") && !arg.startsWith("-agentlib")
            && !arg.startsWith("-javaagent") && !arg.startsWith("-XX:StartFlightRecording")
            && !arg.startsWith("-Xlog")) {
          command.add(arg);
        }
      }
      command.add("-Xmx" + heap);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Mcksim.class.getName());
      command.addAll(List.of("worker", "--join", hostPort, "--host", host, "--exit-with-parent"));
      List<Process> started = new ArrayList<>();
      try {
        for (int i = 0; i < workers; i++) {
          ProcessBuilder worker = new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.INHERIT);
          // the keys are the run's own: none the user's environment holds, exactly these if the run has any
          worker.environment().keySet().removeAll(ClusterKeys.VARIABLES);
          worker.environment().putAll(ClusterKeys.environment(tls));
          started.add(worker.start());
        }
      } catch (IOException e) {
        started.forEach(Process::destroyForcibly);
        throw new IllegalStateException("cannot start a worker JVM (" + command.get(0) + "): " + e.getMessage(), e);
      }
      return started;
    };
  }

  /** The run's model, from the scenario text the coordinating JVM sent (bsp or phold). */
  public static SimModel model(String scenario) {
    Scenario s = new ScenarioLoader().loadText(scenario, "the scenario sent by the coordinating JVM");
    return switch (s.workload().type()) {
      case "bsp" -> BspSetup.machine(s);
      case "phold" -> new Phold(PholdRun.params(s));
      default -> throw new IllegalArgumentException("workload.type = " + s.workload().type()
          + " does not run over worker JVMs");
    };
  }
}
