package io.mcksim.actors.engine;

import java.util.SplittableRandom;

/**
 * Deterministic random streams. Each stream is derived from (run seed, entity id, purpose) alone, never
 * from creation order or a shared generator, so a draw made by one entity cannot shift the draws of
 * another, whatever the thread count or JVM layout.
 */
public final class RandomStreams {

  private final long seed;

  public RandomStreams(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  /** The stream of {@code entityId} for {@code purpose} (for example "phold.delay"). */
  public SplittableRandom stream(long entityId, String purpose) {
    return new SplittableRandom(streamSeed(seed, entityId, purpose));
  }

  /** The 64-bit seed of a stream; exposed so that tests can check independence. */
  public static long streamSeed(long seed, long entityId, String purpose) {
    long h = mix64(seed + 0x9E3779B97F4A7C15L);
    h = mix64(h ^ mix64(entityId * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
    return mix64(h ^ fnv1a64(purpose));
  }

  /**
   * The {@code n}-th draw, uniform in [0, 1), of the stream of {@code entityId} for {@code purpose}:
   * a pure function of its arguments, so a draw needs no stream state to be kept.
   */
  public static double uniform(long seed, long entityId, String purpose, long n) {
    long h = mix64(streamSeed(seed, entityId, purpose) + n * 0x9E3779B97F4A7C15L);
    return (h >>> 11) * 0x1.0p-53;
  }

  /** SplitMix64's finaliser: a bijective, well-mixing 64-bit hash. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** FNV-1a over the UTF-16 code units of {@code s}: stable across JVMs, unlike identity hashes. */
  public static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = (h ^ (c & 0xff)) * 0x100000001b3L;
      h = (h ^ (c >>> 8)) * 0x100000001b3L;
    }
    return h;
  }
}
