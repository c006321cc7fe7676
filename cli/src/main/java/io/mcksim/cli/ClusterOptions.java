package io.mcksim.cli;

import io.mcksim.actors.engine.ClusterEngine;
import io.mcksim.actors.engine.ClusterTls;
import io.mcksim.actors.engine.Engine;
import io.mcksim.config.Scenario;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code --workers N} and its companions: the run spread over N worker JVMs that this one starts on
 * this machine (or that are started by hand with {@code mcksim worker --join HOST:PORT}). Each option
 * is checked like a scenario key, before anything starts; a cluster that reaches beyond loopback runs
 * over TLS with mutual authentication, with the keys a user gives or, for workers started here, keys
 * made for the run.
 */
final class ClusterOptions {

  /** Most worker JVMs of one run. */
  static final int MAX_WORKERS = 1024;

  @Option(names = "--workers", paramLabel = "N", description = "Spread the run over N worker JVMs (cluster "
      + "sharding; bsp, phold and programs workloads), 0 to " + MAX_WORKERS + ". 0, the default: one JVM.")
  int workers;

  @Option(names = "--cluster-host", paramLabel = "HOST", description = "The address workers reach this JVM at "
      + "(default 127.0.0.1; set it to this machine's address for workers on other machines, which then needs "
      + "TLS keys).")
  String host;

  @Option(names = "--cluster-port", paramLabel = "PORT", description = "This JVM's cluster port, 0 to 65535 "
      + "(default 0: any free port; fix it for workers on other machines).")
  Integer port;

  @Option(names = "--no-spawn", description = "Start no workers here: wait for N started by hand with "
      + "'mcksim worker --join HOST:PORT'.")
  boolean noSpawn;

  @Option(names = "--worker-heap", paramLabel = "SIZE", description = "Maximum heap of each worker JVM started "
      + "here, as java's -Xmx takes it, 64m to 16t (default 4g).")
  String workerHeap;

  @picocli.CommandLine.Mixin
  ClusterKeys.Options keys = new ClusterKeys.Options();

  /** The checked options, once {@link #enabled} has checked them. */
  private ClusterAddress self;
  private ClusterTls given;

  /**
   * Whether the run is spread over worker JVMs; first checks every cluster option (a bad value, or a
   * cluster option without {@code --workers}, is refused naming the option).
   */
  boolean enabled() {
    if (workers < 0 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException("--workers " + workers + ": out of range; use 1 to " + MAX_WORKERS
          + " worker JVMs, or 0 (the default) for one JVM");
    }
    if (workers == 0) {
      String stray = host != null ? "--cluster-host" : port != null ? "--cluster-port" : noSpawn ? "--no-spawn"
          : workerHeap != null ? "--worker-heap" : keys.keyStore != null ? "--key-store"
          : keys.trustStore != null ? "--trust-store" : null;
      if (stray != null) {
        throw new IllegalArgumentException(stray + " is for a run spread over worker JVMs; add --workers N or drop "
            + stray);
      }
      return false;
    }
    if (workerHeap != null) {
      heapBytes(workerHeap);
    }
    self = ClusterAddress.listen("--cluster-host", host != null ? host : "127.0.0.1", "--cluster-port",
        port != null ? port : 0);
    given = keys.given();
    if (given == null && noSpawn && ClusterKeys.needed(self, null)) {
      throw new IllegalArgumentException("--cluster-host " + self.host() + ": workers on other machines join over "
          + "TLS, and a run started with --no-spawn has no keys to give them; " + ClusterKeys.HOW);
    }
    self.checkListen("--cluster-host", "--cluster-port");
    return true;
  }

  /**
   * Bytes of a heap size as java's {@code -Xmx} takes it (digits, then k, m, g or t, either case),
   * within 64m to 16t.
   */
  static long heapBytes(String size) {
    String s = size.toLowerCase(java.util.Locale.ROOT);
    if (!s.matches("[0-9]{1,12}[kmgt]?")) {
      throw new IllegalArgumentException("--worker-heap " + size + ": expected a size such as 768m or 4g "
          + "(digits, then k, m, g or t)");
    }
    char unit = s.charAt(s.length() - 1);
    int shift = switch (unit) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      case 't' -> 40;
      default -> 0;
    };
    long n = Long.parseLong(Character.isDigit(unit) ? s : s.substring(0, s.length() - 1));
    long least = 64L << 20;
    long most = 16L << 40;
    if (n > (most >> shift) || (n << shift) < least) {
      throw new IllegalArgumentException("--worker-heap " + size + ": out of range; use 64m to 16t");
    }
    return n << shift;
  }

  /** The engine for a run of {@code s} over the workers; refuses what cannot run that way. */
  Engine engine(Scenario s) {
    String type = s.workload().type();
    if (!List.of("bsp", "phold", "programs").contains(type)) {
      throw new IllegalArgumentException("--workers: workload.type = " + type + " runs in one JVM; runs over "
          + "worker JVMs take workload.type = bsp, phold or programs. Drop --workers");
    }
    if (type.equals("programs") && s.os().model().equals("linux")) {
      throw new IllegalArgumentException("--workers: programs under os.model = linux run in one JVM; drop "
          + "--workers or run them under os.model = mckernel");
    }
    if (!s.sweep().isEmpty()) {
      throw new IllegalArgumentException("--workers: a sweep runs in one JVM; drop the sweep section or --workers");
    }
    if (!s.run().engine().equals("actors")) {
      throw new IllegalArgumentException("--workers: run.engine = " + s.run().engine() + "; runs over worker JVMs "
          + "use the actor engine. Set run.engine = actors or drop --workers");
    }
    int domains = type.equals("phold") ? s.phold().domains() : s.machine().nodes();
    if (workers > domains) {
      throw new IllegalArgumentException("--workers " + workers + ": the scenario has " + domains
          + (type.equals("phold") ? " domains" : " nodes") + ", and each worker needs at least one; use at most "
          + domains);
    }
    return new ClusterEngine(new ClusterEngine.Settings(workers, self.host(), self.port(), s.text(), keys()),
        noSpawn ? (hostPort, tls) -> announce(hostPort, tls)
            : WorkerJvms.onThisMachine(workers, self.host(), workerHeap != null ? workerHeap : "4g"));
  }

  /** The run's keys: the ones given; else, beyond loopback, keys made for the run; else none. */
  private Supplier<ClusterTls> keys() {
    if (given != null) {
      return () -> given;
    }
    return ClusterKeys.needed(self, null) ? WorkerJvms::freshKeys : () -> null;
  }

  private List<Process> announce(String hostPort, ClusterTls tls) {
    System.err.println("mcksim: waiting for " + workers + " worker" + (workers == 1 ? "" : "s")
        + "; start each with: bin/mcksim worker --join " + hostPort
        + (tls == null ? "" : " --host ITS-ADDRESS --key-store FILE --trust-store FILE (passwords in "
            + ClusterKeys.KEY_STORE_PASSWORD + " and " + ClusterKeys.TRUST_STORE_PASSWORD + ")"));
    return List.of();
  }
}
