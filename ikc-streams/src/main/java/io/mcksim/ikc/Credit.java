package io.mcksim.ikc;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.serialization.SimMessage;

/** The reader freed {@code slots} of {@code channel} that this writer had filled. */
public record Credit(int channel, int slots) implements Fingerprinted, SimMessage {

  /** Channels whose credit of one slot is made once and shared ({@link #of}). */
  private static final int SHARED = 1024;
  private static final Credit[] ONE_SLOT = new Credit[SHARED];

  static {
    for (int c = 0; c < SHARED; c++) {
      ONE_SLOT[c] = new Credit(c, 1);
    }
  }

  /**
   * The credit of {@code slots} of {@code channel}: immutable, so the one-slot credits of the first
   * channels are shared (a reader returns one per packet, and a big machine's rings carry millions).
   */
  public static Credit of(int channel, int slots) {
    return slots == 1 && channel >= 0 && channel < SHARED ? ONE_SLOT[channel] : new Credit(channel, slots);
  }

  @Override
  public long fingerprint() {
    return ((long) channel << 32) ^ slots;
  }
}
