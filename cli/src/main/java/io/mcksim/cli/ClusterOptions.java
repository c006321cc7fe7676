package io.mcksim.cli;

import io.mcksim.actors.engine.ClusterEngine;
import io.mcksim.actors.engine.Engine;
import io.mcksim.config.Scenario;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --workers N} and its companions: the run spread over N worker JVMs that this one starts on
 * this machine (or that are started by hand with {@code mcksim worker --join HOST:PORT}).
 */
final class ClusterOptions {

  @Option(names = "--workers", paramLabel = "N", description = "Spread the run over N worker JVMs (cluster "
      + "sharding; bsp and phold workloads). 0, the default: one JVM.")
  int workers;

  @Option(names = "--cluster-host", paramLabel = "HOST", description = "The address workers reach this JVM at "
      + "(default ${DEFAULT-VALUE}; set it to this machine's address for workers on other machines).")
  String host = "127.0.0.1";

  @Option(names = "--cluster-port", paramLabel = "PORT", description = "This JVM's cluster port (default 0: "
      + "any free port; fix it for workers on other machines).")
  int port;

  @Option(names = "--no-spawn", description = "Start no workers here: wait for N started by hand with "
      + "'mcksim worker --join HOST:PORT'.")
  boolean noSpawn;

  @Option(names = "--worker-heap", paramLabel = "SIZE", description = "Maximum heap of each worker JVM started "
      + "here (default ${DEFAULT-VALUE}).")
  String workerHeap = "4g";

  boolean enabled() {
    return workers > 0;
  }

  /** The engine for a run of {@code s} over the workers; refuses what cannot run that way. */
  Engine engine(Scenario s) {
    String type = s.workload().type();
    if (!type.equals("bsp") && !type.equals("phold")) {
      throw new IllegalArgumentException("--workers: workload.type = " + type + " runs in one JVM; runs over "
          + "worker JVMs take workload.type = bsp or phold. Drop --workers");
    }
    if (!s.sweep().isEmpty()) {
      throw new IllegalArgumentException("--workers: a sweep runs in one JVM; drop the sweep section or --workers");
    }
    if (!s.run().engine().equals("actors")) {
      throw new IllegalArgumentException("--workers: run.engine = " + s.run().engine() + "; runs over worker JVMs "
          + "use the actor engine. Set run.engine = actors or drop --workers");
    }
    int domains = type.equals("bsp") ? s.machine().nodes() : s.phold().domains();
    if (workers > domains) {
      throw new IllegalArgumentException("--workers " + workers + ": the scenario has " + domains
          + (type.equals("bsp") ? " nodes" : " domains") + ", and each worker needs at least one; use at most "
          + domains);
    }
    return new ClusterEngine(new ClusterEngine.Settings(workers, host, port, s.text()),
        noSpawn ? hostPort -> announce(hostPort) : WorkerJvms.onThisMachine(workers, host, workerHeap));
  }

  private List<Process> announce(String hostPort) {
    System.err.println("mcksim: waiting for " + workers + " worker" + (workers == 1 ? "" : "s")
        + "; start each with: bin/mcksim worker --join " + hostPort);
    return List.of();
  }
}
