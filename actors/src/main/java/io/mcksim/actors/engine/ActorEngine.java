package io.mcksim.actors.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The conservative parallel engine: every domain is a sequencer actor (a run of consecutive model
 * domains, when the model has many small ones: {@link RunPlan#joinedDomains}), an entity whose batch pays for a
 * message runs it in its own Pekko typed actor (the domain delivers the others' events itself), and a
 * coordinator advances the domains through lookahead windows. The dispatcher that runs
 * them has exactly {@link RunSpec#threads()} threads; the results do not depend on that number.
 */
public final class ActorEngine implements Engine {

  @Override
  public String name() {
    return "actors";
  }

  @Override
  public RunResult run(SimModel model, RunSpec spec) {
    if (spec.eventLog() != null) {
      throw new IllegalArgumentException("an event log is kept by the sequential engine only");
    }
    Config config = config(spec.threads());
    int join = spec.joinDomains() > 0 ? spec.joinDomains() : config.getInt("mcksim.actors.engine.join-domains");
    RunPlan plan = new RunPlan(model, spec.endTimeNs(), RunPlan.joinedDomains(model, spec.threads(), join));
    plan.runAhead = spec.runAhead();
    CompletableFuture<RunResult> result = new CompletableFuture<>();
    ActorSystem<EngineCoordinator.Command> system =
        ActorSystem.create(EngineCoordinator.create(plan, spec, result,
            new EngineCoordinator.Local(plan.domainCount())), "mcksim", config);
    return await(result, system, spec, plan, () -> {});
  }

  /**
   * Waits for a run's result, at most the spec's liveness timeout, then stops its actor system
   * ({@code beforeTerminate} first); a model failure comes out as the exception the run failed with.
   */
  static RunResult await(CompletableFuture<RunResult> result, ActorSystem<?> system, RunSpec spec, RunPlan plan,
      Runnable beforeTerminate) {
    try {
      return result.get(spec.livenessTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new SimulationFailure("run failed: " + e.getCause() + "; " + plan.replayHint(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("liveness guard: the run did not finish within "
          + spec.livenessTimeout() + " of wall time; " + plan.replayHint(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the run", e);
    } finally {
      beforeTerminate.run();
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // the run's outcome is already decided; a slow shutdown changes nothing
      }
    }
  }

  /**
   * The engine's actor system: its default dispatcher sized to exactly {@code threads}, and quiet
   * logging (the engine reports failures itself, with the seed). Benchmarks use it for their plain
   * actor baselines, so both sides run on the same dispatcher.
   */
  public static Config config(int threads) {
    Config base = ConfigFactory.load();
    return ConfigFactory.parseMap(Map.of(
            "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min", threads,
            "pekko.actor.default-dispatcher.fork-join-executor.parallelism-max", threads,
            "pekko.actor.default-dispatcher.fork-join-executor.parallelism-factor", 1.0,
            // LIFO: a worker runs the mailbox it scheduled last, while its cells are still in cache;
            // idle workers steal the oldest. Twice the throughput of FIFO on PHOLD (measured).
            "pekko.actor.default-dispatcher.fork-join-executor.task-peeking-mode", "LIFO",
            "pekko.actor.default-dispatcher.throughput", base.getInt("mcksim.actors.engine.throughput"),
            "pekko.loglevel", "WARNING",
            // the logger Pekko falls back on while it starts and stops writes to stdout, where a
            // command's --json result goes: it stays silent (what the engine must say, it reports)
            "pekko.stdout-loglevel", "OFF",
            // stopping the actors of a million entities may take longer than Pekko's default 10 s;
            // await() gives the system a minute
            "pekko.coordinated-shutdown.phases.actor-system-terminate.timeout", "60s",
            "pekko.log-dead-letters", "off",
            "pekko.log-dead-letters-during-shutdown", "off"))
        .withFallback(base);
  }
}
