package io.mcksim.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * Writes a typed {@link ActorRef} inside a message as its serialization format string (the actor's
 * full path with its address and uid) and resolves it again on the reading side, both through the
 * actor system's {@link ActorRefResolver}. Installed as Kryo's default serializer for every
 * {@code ActorRef} class; stateless, so one instance serves all pooled Kryo instances.
 */
@SuppressWarnings("rawtypes")
final class ActorRefKryoSerializer extends Serializer<ActorRef> {

  private final Supplier<ActorRefResolver> resolver;

  ActorRefKryoSerializer(Supplier<ActorRefResolver> resolver) {
    super(false, true);
    this.resolver = resolver;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void write(Kryo kryo, Output output, ActorRef ref) {
    output.writeString(resolver.get().toSerializationFormat(ref));
  }

  @Override
  public ActorRef read(Kryo kryo, Input input, Class<? extends ActorRef> type) {
    return resolver.get().resolveActorRef(input.readString());
  }
}
