package io.mcksim.machine.chaos;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.EventLog;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.actors.engine.SimulationFailure;
import io.mcksim.config.Scenario;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One seed of a chaos campaign: the scenario's chaos run on the sequential engine, its invariants
 * checked as it goes and once it is over, and what came of it. The same scenario and seed always
 * give the same row, digest included: a campaign's failing seed replays exactly.
 */
public final class ChaosRun {

  /**
   * Virtual time a chaos run may take at most; a run still busy then fails the run-ends invariant. A
   * minute: every proxy killed while its instance is down (panic, hang) waits 5 s in mcctrl's release
   * handler for an answer that never comes, once per boot, and a node boots at most a few times.
   */
  public static final long CAP_NS = 60_000_000_000L;

  private ChaosRun() {}

  /**
   * One seed's result.
   *
   * @param violation the invariant that failed, or null
   */
  public record Row(long seed, ChaosMachine.Outcome outcome, InvariantViolation violation, String digest,
      long events, long endNs) {

    public String verdict() {
      return violation == null ? "ok" : violation.invariant();
    }

    /** Whether the run stopped on an exception of the model, not on a modelled fault's finding. */
    public boolean modelError() {
      return violation != null && violation.invariant().equals(MODEL_ERROR);
    }
  }

  /**
   * The verdict of a run that an entity's exception stopped (a bug in the model, not a modelled crash):
   * the row names the exception, where it was thrown, the entity and the virtual time, and the campaign
   * goes on.
   */
  public static final String MODEL_ERROR = "model-error";

  public static Row run(Scenario s, long seed) {
    return run(s, seed, null, null);
  }

  /**
   * @param bug a planted bug (tests only), or null
   * @param log told every event as one line of the replay's event log (time, sequence number, target,
   *            source, event), or null
   */
  public static Row run(Scenario s, long seed, ChaosMachine.PlantedBug bug, Consumer<String> log) {
    return run(s, seed, bug, log, 0);
  }

  /**
   * The same on the sequential engine ({@code actorThreads} 0) or on the actor engine with
   * {@code actorThreads} threads (no event log there): the same row, digest included, either way.
   */
  public static Row run(Scenario s, long seed, ChaosMachine.PlantedBug bug, Consumer<String> log,
      int actorThreads) {
    ChaosMachine m = new ChaosMachine(s, seed);
    if (bug != null) {
      m.withPlantedBug(bug);
    }
    RunSpec spec = RunSpec.until(CAP_NS, Math.max(1, actorThreads));
    RunResult r;
    if (actorThreads > 0 && log != null) {
      throw new IllegalArgumentException("the event log of a replay is kept by the sequential engine only");
    }
    try {
      if (actorThreads > 0) {
        r = new ActorEngine().run(m, spec);
      } else {
        EventLog events = log == null ? null : (time, target, source, seq, data, payload) -> log.accept(
            String.format(Locale.ROOT, "%,15d ns  #%-6d %s", time, seq, m.describe(target, source, payload)));
        r = new SequentialEngine().run(m, events == null ? spec : spec.withEventLog(events));
      }
    } catch (SimulationFailure f) {
      if (actorThreads > 0) {
        // the actor engine's domains run a window each at their own pace, and the first of them to throw
        // is not always the first in virtual time: the sequential engine finds that one, the same always
        return run(s, seed, bug, null, 0);
      }
      return modelError(seed, m, m.nameOf(f.entity()), f.timeNs(), f.getCause() != null ? f.getCause() : f);
    }
    InvariantViolation violation = null;
    try {
      m.checkEnd(r.virtualEndNs());
    } catch (InvariantViolation v) {
      violation = v;
    } catch (RuntimeException e) {
      return modelError(seed, m, "the checkers", r.virtualEndNs(), e);
    }
    return new Row(seed, m.outcome(), violation, r.digest(), r.events(), r.virtualEndNs());
  }

  /**
   * The row of a run an exception of the model stopped: verdict {@value #MODEL_ERROR}, with the
   * exception's class and message, the place in the model that threw it, the entity and the virtual time.
   * Nothing else of the run is reported (no faults, jobs, events or digest): how far each entity got
   * before the run stopped depends on the engine, and the row does not. The replay gives the event log
   * up to the exception.
   */
  private static Row modelError(long seed, ChaosMachine m, String entity, long timeNs, Throwable e) {
    StackTraceElement[] at = e.getStackTrace();
    String detail = entity + " threw " + e.getClass().getName() + ": " + e.getMessage()
        + (timeNs < 0 ? " while starting" : " at " + timeNs + " ns")
        + (at.length > 0 ? "\n  at " + at[0] : "") + "\nseed " + seed + " of the scenario; replay it to see the "
        + "events up to the exception";
    return new Row(seed, m.emptyOutcome(), new InvariantViolation(MODEL_ERROR, Math.max(0, timeNs), detail), "",
        0, Math.max(0, timeNs));
  }
}
