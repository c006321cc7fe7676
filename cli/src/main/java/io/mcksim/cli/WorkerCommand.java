package io.mcksim.cli;

import io.mcksim.actors.engine.ClusterEngine;
import io.mcksim.actors.engine.ClusterTls;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mcksim worker --join HOST:PORT}: one worker JVM of a run spread over JVMs. It joins the
 * coordinating JVM ({@code mcksim run FILE --workers N}), receives the scenario from it, runs its block
 * of the machine's nodes, and exits when the run is over or the coordinating JVM is lost. A worker
 * reachable beyond loopback, or joining a JVM that is, needs the run's TLS keys.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {"Serve as one worker JVM of a run started with 'mcksim run FILE --workers N'.",
        "It needs no scenario file: the coordinating JVM sends the scenario. Every machine must run the "
            + "same mcksim build."})
final class WorkerCommand implements Callable<Integer> {

  /** Most engine threads of one worker. */
  static final int MAX_THREADS = 1024;

  @Option(names = "--join", required = true, paramLabel = "HOST:PORT",
      description = "The coordinating JVM's cluster address, as its run prints it.")
  String join;

  @Option(names = "--host", paramLabel = "HOST", description = "The address other JVMs reach this one at "
      + "(default ${DEFAULT-VALUE}; another address needs TLS keys).")
  String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "This JVM's cluster port, 0 to 65535 (default 0: "
      + "any free port).")
  int port;

  @Option(names = "--threads", paramLabel = "K", description = "Threads of this worker's actor engine, 0 to "
      + MAX_THREADS + " (default 0: one per core).")
  int threads;

  @picocli.CommandLine.Mixin
  ClusterKeys.Options keys = new ClusterKeys.Options();

  @Option(names = "--exit-with-parent", description = "Exit when standard input closes (the launching JVM "
      + "is gone); set by the JVM that starts workers itself.")
  boolean exitWithParent;

  @Override
  public Integer call() {
    ClusterAddress coordinator = ClusterAddress.join("--join", join);
    ClusterAddress self = ClusterAddress.listen("--host", host, "--port", port);
    if (threads < 0 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("--threads " + threads + ": out of range; use 1 to "
          + MAX_THREADS + ", or 0 (the default) for one per core");
    }
    ClusterTls tls = keys.given();
    if (tls == null && ClusterKeys.needed(self, coordinator)) {
      throw new IllegalArgumentException((self.loopback() ? "--join " + join : "--host " + host)
          + ": a worker reachable beyond this machine's loopback joins over TLS; " + ClusterKeys.HOW);
    }
    self.checkListen("--host", "--port");
    if (exitWithParent) {
      Thread watch = new Thread(WorkerCommand::exitWhenStdinCloses, "mcksim-parent-watch");
      watch.setDaemon(true);
      watch.start();
    }
    int k = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    return ClusterEngine.worker(join, host, port, k, tls, WorkerJvms::model);
  }

  private static void exitWhenStdinCloses() {
    InputStream in = System.in;
    try {
      while (in.read() >= 0) {
        // nothing is ever sent; only the end of the stream matters
      }
    } catch (IOException e) {
      // a broken pipe: the parent is gone too
    }
    System.err.println("mcksim worker: the JVM that started this worker is gone; exiting");
    Runtime.getRuntime().halt(3);
  }
}
