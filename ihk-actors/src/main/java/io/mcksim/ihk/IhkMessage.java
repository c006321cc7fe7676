package io.mcksim.ihk;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;

/**
 * A message between the actors of the IHK management plane. Every one is a record of plain values, so
 * its text is a stable fingerprint for the event-log digest.
 */
public interface IhkMessage extends Fingerprinted {

  @Override
  default long fingerprint() {
    return RandomStreams.fnv1a64(toString());
  }
}
