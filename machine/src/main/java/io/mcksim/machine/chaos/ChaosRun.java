package io.mcksim.machine.chaos;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.EventLog;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
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
  }

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
    if (actorThreads > 0) {
      if (log != null) {
        throw new IllegalArgumentException("the event log of a replay is kept by the sequential engine only");
      }
      r = new ActorEngine().run(m, spec);
    } else {
      EventLog events = log == null ? null : (time, target, source, seq, data, payload) -> log.accept(
          String.format(Locale.ROOT, "%,15d ns  #%-6d %s", time, seq, m.describe(target, source, payload)));
      r = new SequentialEngine().run(m, events == null ? spec : spec.withEventLog(events));
    }
    InvariantViolation violation = null;
    try {
      m.checkEnd(r.virtualEndNs());
    } catch (InvariantViolation v) {
      violation = v;
    }
    return new Row(seed, m.outcome(), violation, r.digest(), r.events(), r.virtualEndNs());
  }
}
