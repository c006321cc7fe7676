package io.mcksim.ihk;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.serialization.SimMessage;

/**
 * A message between the actors of the IHK management plane. Every one is a public record of plain
 * values, so its text is a stable fingerprint for the event-log digest, and it is registered in the
 * Kryo table ({@link IhkKryoRegistrar}).
 */
public interface IhkMessage extends Fingerprinted, SimMessage {

  @Override
  default long fingerprint() {
    return RandomStreams.fnv1a64(toString());
  }
}
