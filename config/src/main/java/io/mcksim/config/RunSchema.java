package io.mcksim.config;

import java.util.Set;

/** Reads how a run goes ({@code run}) and the engine's own benchmark, PHOLD ({@code phold}). */
final class RunSchema {

  private RunSchema() {}

  /** Entities whose initial events a PHOLD run may hold: 2^24 (measured: 1.75 KB per entity with 4 events). */
  static final int MAX_PHOLD_EVENTS = 1 << 24;

  static RunSettings run(ConfigReader r) {
    return new RunSettings(
        r.longValue("run.seed"),
        r.duration("run.end-time", 1),
        r.oneOf("run.engine", Set.of("actors", "sequential")),
        r.intIn("run.threads", 0, 1024),
        r.oneOf("run.boot", Set.of(RunSettings.SIMULATE, RunSettings.BOOTED)));
  }

  static PholdSettings phold(ConfigReader r) {
    int before = r.problemCount();
    int entities = r.intIn("phold.entities", 1, 4_194_304);
    // An invalid entity count must not also make a valid domain count look out of range.
    int maxDomains = r.problemCount() == before ? Math.min(entities, 65_536) : 65_536;
    int domains = r.intIn("phold.domains", 1, maxDomains);
    int population = r.intIn("phold.population", 1, 1_000_000);
    if (r.problemCount() == before && (long) entities * population > MAX_PHOLD_EVENTS) {
      r.bad("phold.population", String.format("%,d entities with %,d events each is %,d events, more than the"
          + " %,d a run may start with; lower phold.entities or phold.population", entities, population,
          (long) entities * population, MAX_PHOLD_EVENTS));
    }
    return new PholdSettings(entities, domains, population,
        r.duration("phold.lookahead", 1),
        r.duration("phold.mean-delay", 0),
        r.doubleIn("phold.remote-fraction", 0, 1));
  }
}
