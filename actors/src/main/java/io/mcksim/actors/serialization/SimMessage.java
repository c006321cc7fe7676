package io.mcksim.actors.serialization;

/**
 * Marker for every message that may cross a JVM boundary. Pekko binds it to {@link KryoSerializer}
 * (see this module's {@code reference.conf}), so each implementing class, and every class reachable
 * from its fields, must be registered with a fixed id through a {@link KryoRegistrar}. Messages are
 * public records (or enums) of values and typed {@code ActorRef}s; they form trees, not graphs.
 */
public interface SimMessage {
}
