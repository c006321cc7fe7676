package io.mcksim.machine.bsp;

import io.mcksim.actors.engine.PartialResults;

/** A BSP application ready to run: its plan, and once it has run, its outcome. */
public interface BspApplication extends PartialResults {

  BspPlan plan();

  /** What the run gave, read from the entities once it is over (plus the parts of other JVMs). */
  BspMachine.Outcome outcome();

  /**
   * The noiseless ideal: every quantum at its mean, every call at its uncontended cost, no noise; the
   * rest (barriers, the collective's messages) exactly as simulated.
   */
  default long idealNs() {
    return plan().idealNs();
  }
}
