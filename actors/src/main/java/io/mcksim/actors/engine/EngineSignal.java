package io.mcksim.actors.engine;

import io.mcksim.actors.serialization.SimMessage;

/**
 * The engine's own event payloads for supervision, deathwatch and ask. They travel like any event (so
 * they keep the total order, the lookahead and the digest, and cross JVMs in cross-domain batches), but
 * the receiving cell handles them itself ({@link EntityLife}) instead of handing them to the entity.
 * The event's source is always the entity the signal speaks for.
 *
 * <p>A signal travels in an {@link Envelope}, a final class: telling a signal from a model's payload
 * then costs the hot path one class-pointer comparison, whatever the model's payload classes.
 *
 * <p>Public only because records that cross JVMs must be (Kryo); models never make or see them: they
 * use {@link SimContext} and get {@link Signal}s.
 */
public sealed interface EngineSignal extends Fingerprinted, SimMessage {

  /** The payload of an event that carries a signal. */
  record Envelope(EngineSignal signal) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return signal.fingerprint();
    }
  }

  /** The source watches this entity; tell it of a death {@code latencyNs} after. */
  record Watch(long latencyNs) implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(1, latencyNs);
    }
  }

  /** The source no longer watches this entity. */
  record Unwatch() implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(2, 0);
    }
  }

  /** To a watcher: the source's incarnation {@code incarnation} died at {@code diedAt}. */
  record Died(int incarnation, long diedAt) implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(mix(3, incarnation), diedAt);
    }
  }

  /** To a supervisor: its child, the source, failed. */
  record FailureNotice(int incarnation, long diedAt, String cause) implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(mix(mix(4, incarnation), diedAt), RandomStreams.fnv1a64(cause));
    }
  }

  /**
   * From a supervisor: come back. Only the incarnation {@code incarnation} that failed is restarted,
   * unless {@code cascade} (the supervisor itself was restarted and brings back its children).
   */
  record Restart(int incarnation, boolean cascade) implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(mix(5, incarnation), cascade ? 1 : 0);
    }
  }

  /** From a supervisor that died: stop as well. */
  record Stop() implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(6, 0);
    }
  }

  /** An ask from the source: the event's data and {@code payload} are the request. */
  record AskRequest(long askId, long latencyNs, Object payload) implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(mix(mix(7, askId), latencyNs), EventDigest.fingerprint(payload));
    }
  }

  /** The answer to ask {@code askId}: the event's data and {@code payload}. */
  record AskReply(long askId, Object payload) implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(mix(8, askId), EventDigest.fingerprint(payload));
    }
  }

  /** Ask {@code askId} will not be answered: its target died at {@code diedAt}. */
  record AskFailed(long askId, long diedAt) implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(mix(9, askId), diedAt);
    }
  }

  /** A self-event: the timeout of ask {@code askId} to {@code target}. Never leaves its entity. */
  record AskTimeout(long askId, int target) implements EngineSignal {
    @Override
    public long fingerprint() {
      return mix(mix(10, askId), target);
    }
  }

  private static long mix(long h, long x) {
    h ^= x * 0xC2B2AE3D27D4EB4FL;
    return Long.rotateLeft(h, 29) * 0x9E3779B97F4A7C15L + 0x165667B19E3779F9L;
  }
}
