package io.mcksim.machine.bsp;

import io.mcksim.actors.engine.PartialResults;

/** A BSP application ready to run: its plan, and once it has run, its outcome. */
public interface BspApplication extends PartialResults {

  BspPlan plan();

  /** "bsp-" and the OS design it runs under. */
  @Override
  default String name() {
    return "bsp-" + plan().os();
  }

  /** The run seed, the plan's. */
  @Override
  default long seed() {
    return plan().seed();
  }

  /** What the run gave, read from the entities once it is over (plus the parts of other JVMs). */
  BspOutcome outcome();

  /**
   * When the application is expected to start, in virtual time: 0 where its ranks start at once, the
   * launch's costs where mcexec launches them first (an estimate: the launch's IKC hops and its Linux CPUs'
   * noise come on top). The run is expected to end about this plus {@link #idealNs}.
   */
  default long expectedStartNs() {
    return 0;
  }

  /**
   * The noiseless ideal: every quantum at its mean, every call at its uncontended cost, no noise; the
   * rest (barriers, the collective's messages) exactly as simulated.
   */
  default long idealNs() {
    return plan().idealNs();
  }
}
