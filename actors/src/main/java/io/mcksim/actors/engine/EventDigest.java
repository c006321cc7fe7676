package io.mcksim.actors.engine;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical event-log digest. Each entity folds every event it processes, in its own processing
 * order, into a running 64-bit hash (cheap enough for the hot path); the run's digest is SHA-256 over
 * (entity id, events processed, running hash) in entity-id order. The result is independent of thread
 * interleavings and of how entities are spread over threads, domains or JVMs.
 */
public final class EventDigest {

  private EventDigest() {}

  /** The running hash of an entity that has processed nothing. */
  public static final long EMPTY = 0x6A09E667F3BCC908L;

  /** Folds one processed event into an entity's running hash. */
  public static long fold(long h, long time, int source, long seq, long data, Object payload) {
    return fold(h, time, source, seq, data, fingerprint(payload));
  }

  /** Folds one processed event, given its payload's {@link #fingerprint}. */
  static long fold(long h, long time, int source, long seq, long data, long fingerprint) {
    h = step(h, time);
    h = step(h, source);
    h = step(h, seq);
    h = step(h, data);
    return step(h, fingerprint);
  }

  private static long step(long h, long x) {
    h ^= x * 0xFF51AFD7ED558CCDL;
    return Long.rotateLeft(h, 31) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
  }

  static long fingerprint(Object payload) {
    if (payload == null) {
      return 0;
    }
    if (payload instanceof Fingerprinted f) {
      return f.fingerprint();
    }
    return CLASS_NAME_HASH.get(payload.getClass());
  }

  /** The FNV-1a hash of a payload class's name, computed once per class. */
  private static final ClassValue<Long> CLASS_NAME_HASH = new ClassValue<>() {
    @Override
    protected Long computeValue(Class<?> type) {
      return RandomStreams.fnv1a64(type.getName());
    }
  };

  /** SHA-256 over the per-entity hashes in entity-id order, as lowercase hex. */
  public static String runDigest(long[] entityHashes, long[] entityEvents) {
    MessageDigest sha = sha256();
    ByteBuffer buf = ByteBuffer.allocate(20 * 1024);
    for (int id = 0; id < entityHashes.length; id++) {
      if (buf.remaining() < 20) {
        buf.flip();
        sha.update(buf);
        buf.clear();
      }
      buf.putInt(id).putLong(entityEvents[id]).putLong(entityHashes[id]);
    }
    buf.flip();
    sha.update(buf);
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256", e);
    }
  }
}
