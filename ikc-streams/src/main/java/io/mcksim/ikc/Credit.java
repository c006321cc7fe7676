package io.mcksim.ikc;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.serialization.SimMessage;

/** The reader freed {@code slots} of {@code channel} that this writer had filled. */
public record Credit(int channel, int slots) implements Fingerprinted, SimMessage {

  @Override
  public long fingerprint() {
    return ((long) channel << 32) ^ slots;
  }
}
