package io.mcksim.actors.engine;

import io.mcksim.actors.serialization.SimMessage;

/**
 * A model whose figures (beyond the event digest) are read from its entities after a run, and can be
 * gathered when those entities lived in several JVMs: each worker JVM sends what its own entities
 * contribute, and the JVM that ran the run adds the parts into its model object, which then reports as
 * if every entity had lived there.
 */
public interface PartialResults extends SimModel {

  /** What the entities this JVM created contribute to the model's figures (a registered message). */
  SimMessage localPart();

  /** Adds the part another JVM's entities contributed. */
  void addPart(SimMessage part);
}
