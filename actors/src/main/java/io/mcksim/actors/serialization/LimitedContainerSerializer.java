package io.mcksim.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;

/**
 * Kryo's serializer of an array of objects, a collection or a map, whose length is charged to the
 * message's budget ({@link LimitedInput}) before the serializer allocates for it. Each of these reads
 * its length (plus one) as its first varint; the wrapper marks that read, and writes, copies and
 * reads exactly as the serializer it wraps.
 */
final class LimitedContainerSerializer<T> extends Serializer<T> {

  private final Serializer<T> inner;
  private final String what;

  private LimitedContainerSerializer(Serializer<T> inner, Class<?> type) {
    super(inner.getAcceptsNull(), inner.isImmutable());
    this.inner = inner;
    this.what = "a " + type.getTypeName();
  }

  /** {@code serializer} wrapped if it reads a container's length first, else itself. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Serializer<?> limiting(Serializer<?> serializer, Class<?> type) {
    boolean container = serializer instanceof CollectionSerializer || serializer instanceof MapSerializer
        || serializer instanceof ObjectArraySerializer || serializer instanceof StringArraySerializer;
    return container ? new LimitedContainerSerializer(serializer, type) : serializer;
  }

  @Override
  public void write(Kryo kryo, Output output, T object) {
    inner.write(kryo, output, object);
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    if (!(input instanceof LimitedInput limited)) {
      return inner.read(kryo, input, type);
    }
    limited.lengthFollows(what);
    try {
      return inner.read(kryo, input, type);
    } finally {
      limited.lengthFollows(null);
    }
  }

  @Override
  public T copy(Kryo kryo, T original) {
    return inner.copy(kryo, original);
  }
}
