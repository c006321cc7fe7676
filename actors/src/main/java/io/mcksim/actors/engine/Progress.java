package io.mcksim.actors.engine;

/**
 * Told how far a run has come, now and then: after every window on the actor engine, every
 * {@value #SEQUENTIAL_STRIDE} events on the sequential one. Called on an engine thread; it must be
 * quick and must not touch the model. It never decides anything a run computes.
 */
@FunctionalInterface
public interface Progress {

  int SEQUENTIAL_STRIDE = 1 << 20;

  Progress NONE = (virtualTimeNs, events) -> { };

  void reached(long virtualTimeNs, long events);
}
