package io.mcksim.actors.engine;

/**
 * A run spread over JVMs could not go on: a worker JVM never joined, failed to set up, died or became
 * unreachable. The message names the worker and how far the run had come. Nothing of the run is kept.
 */
public final class ClusterFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterFailure(String message) {
    super(message);
  }
}
