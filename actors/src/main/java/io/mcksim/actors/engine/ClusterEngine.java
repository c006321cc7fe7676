package io.mcksim.actors.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The actor engine spread over JVMs: this JVM coordinates, {@code workers} worker JVMs run the
 * domains as entities of Pekko Cluster Sharding (worker k holds the k-th contiguous block of domains),
 * and the window protocol, cross-domain batches and its in-flight accounting cross JVMs through the
 * mcksim Kryo serializer. Results and digest equal those of one JVM.
 *
 * <p>Each worker builds the model itself from the scenario text it is sent ({@link #worker}); this
 * JVM creates no entity at all. A worker that dies, leaves or becomes unreachable ends the run with a
 * {@link ClusterFailure} naming it and the virtual time reached.
 */
public final class ClusterEngine implements Engine {

  /** Starts the worker JVMs once this JVM listens at {@code hostPort}; returns their processes. */
  @FunctionalInterface
  public interface Launcher {
    /**
     * @param tls the run's keys, which every worker needs to join; null: plain TCP
     * @return the processes started here, watched for exit; empty if workers are started by hand
     */
    List<Process> launch(String hostPort, ClusterTls tls);
  }

  /** Builds the run's model, in a worker JVM, from the scenario text the coordinating JVM sends. */
  @FunctionalInterface
  public interface ModelFactory {
    SimModel build(String scenario);
  }

  /**
   * @param workers  worker JVMs the run needs
   * @param host     the address other JVMs reach this one at
   * @param port     this JVM's cluster port (0: any free port)
   * @param scenario the scenario every worker builds its model from
   * @param tls      the run's keys, got when the run starts and closed when it is over; null keys:
   *                 plain TCP (loopback)
   */
  public record Settings(int workers, String host, int port, String scenario, Supplier<ClusterTls> tls) {
    /** A run over plain TCP. */
    public Settings(int workers, String host, int port, String scenario) {
      this(workers, host, port, scenario, () -> null);
    }
  }

  /** How long a run's JVMs wait for each other to join (wall clock; a guard only). */
  static final String JOIN_TIMEOUT_PATH = "mcksim.actors.cluster.join-timeout";

  private final Settings settings;
  private final Launcher launcher;

  public ClusterEngine(Settings settings, Launcher launcher) {
    this.settings = settings;
    this.launcher = launcher;
  }

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public RunResult run(SimModel model, RunSpec spec) {
    if (spec.eventLog() != null) {
      throw new IllegalArgumentException("an event log is kept by the sequential engine only");
    }
    RunPlan plan = new RunPlan(model, spec.endTimeNs(), domain -> false);
    new DomainShards(plan.domainCount(), settings.workers()); // refuses more workers than domains
    try (ClusterTls tls = settings.tls().get()) {
      Config config = config("coordinator", settings.host(), settings.port(), spec.threads(), tls);
      Duration joinTimeout = config.getDuration(JOIN_TIMEOUT_PATH);
      CompletableFuture<RunResult> result = new CompletableFuture<>();
      CompletableFuture<Void> stopped = new CompletableFuture<>();
      ActorSystem<ClusterMessages.ToCoordinator> system = ActorSystem.create(ClusterGuardian.create(plan, spec,
          new ClusterGuardian.Settings(settings.workers(), settings.scenario(), joinTimeout, tls != null, stopped),
          result), "mcksim", config);
      List<Process> processes = new ArrayList<>();
      try {
        processes.addAll(launcher.launch(ClusterGuardian.hostPort(Cluster.get(system).selfMember().address()), tls));
      } catch (RuntimeException e) {
        result.completeExceptionally(new ClusterFailure("could not start the worker JVMs: " + e.getMessage()));
      }
      for (Process p : processes) {
        p.onExit().thenAccept(done -> system.tell(new ClusterGuardian.WorkerExited(done.pid(), done.exitValue())));
      }
      return ActorEngine.await(result, system, spec, plan, () -> stopWorkers(system, stopped, processes));
    }
  }

  /**
   * Tells every worker to exit and waits (a little) until each has confirmed, so that none is left
   * waiting for a coordinator that is gone; then waits for the ones started here, and kills any left.
   */
  private static void stopWorkers(ActorSystem<ClusterMessages.ToCoordinator> system, CompletableFuture<Void> stopped,
      List<Process> processes) {
    system.tell(ClusterGuardian.StopWorkers.INSTANCE);
    try {
      stopped.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // a worker that does not confirm exits anyway once it finds this JVM gone
    }
    for (Process p : processes) {
      try {
        p.onExit().get(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // handled below
      }
      p.destroyForcibly();
    }
  }

  /**
   * Runs one worker JVM until its run is over: joins the coordinating JVM at {@code join}
   * ("host:port"), listening itself at {@code host}:{@code port} (0: any free port) with the run's
   * keys {@code tls} (null: plain TCP), and builds the model through {@code factory}.
   *
   * @return the process exit status: 0 after a run, 3 if the coordinating JVM was lost
   * @throws ClusterFailure if no coordinating JVM answered within the join timeout
   */
  public static int worker(String join, String host, int port, int threads, ClusterTls tls, ModelFactory factory) {
    Address coordinator = AddressFromURIString.parse("pekko://mcksim@" + join);
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Config config = config(DomainShards.WORKER_ROLE, host, port, threads, tls);
    ActorSystem<ClusterMessages.ToWorker> system = ActorSystem.create(
        WorkerAgent.create(coordinator, factory, config.getDuration(JOIN_TIMEOUT_PATH), tls != null, exit), "mcksim",
        config);
    try {
      system.getWhenTerminated().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      return 1;
    }
    try {
      return exit.getNow(1);
    } catch (CompletionException e) {
      throw e.getCause() instanceof ClusterFailure failure ? failure : e;
    }
  }

  /** The actor system configuration of one JVM of a run spread over JVMs; null {@code tls}: plain TCP. */
  static Config config(String role, String host, int port, int threads, ClusterTls tls) {
    Config engine = ActorEngine.config(threads);
    Config own = ConfigFactory.parseMap(Map.of(
        "pekko.cluster.roles", List.of(role),
        "pekko.remote.artery.canonical.hostname", host,
        "pekko.remote.artery.canonical.port", port));
    return (tls != null ? own.withFallback(tls.config()) : own)
        .withFallback(engine.getConfig("mcksim.actors.cluster.system"))
        .withFallback(engine);
  }
}
