package io.mcksim.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko serializer for every {@link SimMessage}: Kryo with registration required and the fixed class
 * ids of {@link KryoRegistry}, so that bytes carry small ids instead of class names and every JVM of
 * a run must agree on the table (built from the base table and the registrars named in
 * {@value KryoRegistry#REGISTRARS_PATH}). The bytes are self-describing (class id first), so the
 * manifest is empty. Kryo instances are not thread-safe and live in a pool.
 *
 * <p>Reading refuses what an honest peer never sends, before anything is allocated for it: a class
 * the table lacks, objects nested deeper than {@value KryoRegistry#MAX_DEPTH}, and a length beyond
 * {@value LimitedInput#MAX_ELEMENTS_PATH} or beyond the bytes that follow ({@link LimitedInput}).
 */
public final class KryoSerializer extends SerializerWithStringManifest {

  /** Pekko serializer identifier; must match {@code pekko.actor.serialization-identifiers}. */
  public static final int IDENTIFIER = 4711;

  private static final int POOL_CAPACITY = 64;
  private static final int BUFFER_SIZE = 4 * 1024;
  private static final int MAX_POOLED_BUFFER = 1024 * 1024;
  /** The range of {@value LimitedInput#MAX_ELEMENTS_PATH}. */
  private static final int LEAST_ELEMENTS = 1024;
  private static final int MOST_ELEMENTS = 256 * 1024 * 1024;

  private final ExtendedActorSystem system;
  private final KryoRegistry registry;
  private final Pool<Kryo> kryos;
  private final Pool<Output> outputs;
  private final int maxElements;
  private volatile ActorRefResolver resolver;

  /** Called by Pekko, once per actor system; reads the registrars from the system's configuration. */
  public KryoSerializer(ExtendedActorSystem system) {
    this.system = system;
    ClassLoader loader = system.dynamicAccess().classLoader();
    this.registry = KryoRegistry.fromConfig(system.settings().config(), loader);
    this.maxElements = maxElements(system.settings().config());
    ActorRefKryoSerializer actorRefs = new ActorRefKryoSerializer(this::resolver);
    this.kryos = new Pool<>(true, false, POOL_CAPACITY) {
      @Override
      protected Kryo create() {
        return registry.newKryo(loader, actorRefs);
      }
    };
    this.outputs = new Pool<>(true, false, POOL_CAPACITY) {
      @Override
      protected Output create() {
        return new Output(BUFFER_SIZE, -1);
      }
    };
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  /** The class table this serializer writes with. */
  public KryoRegistry registry() {
    return registry;
  }

  @Override
  public String manifest(Object message) {
    return "";
  }

  @Override
  public byte[] toBinary(Object message) {
    Kryo kryo = kryos.obtain();
    Output output = outputs.obtain();
    boolean clean = false;
    try {
      output.reset();
      kryo.writeClassAndObject(output, message);
      byte[] bytes = output.toBytes();
      clean = true;
      return bytes;
    } catch (KryoException | IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("mcksim Kryo serializer cannot write " + message.getClass().getName()
          + ": " + e.getMessage(), e);
    } finally {
      if (output.getBuffer().length > MAX_POOLED_BUFFER) {
        output.setBuffer(new byte[BUFFER_SIZE], -1);
      }
      outputs.free(output);
      if (clean) {
        kryos.free(kryo);
      }
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Kryo kryo = kryos.obtain();
    boolean clean = false;
    try {
      Object message = kryo.readClassAndObject(new LimitedInput(bytes, maxElements));
      clean = true;
      return message;
    } catch (KryoException | IllegalArgumentException | IllegalStateException e) {
      NotSerializableException failure = new NotSerializableException("mcksim Kryo serializer cannot read "
          + bytes.length + " bytes: " + e.getMessage() + " (a corrupt or hostile message, or one from a JVM with "
          + "another class table: do both JVMs list the same " + KryoRegistry.REGISTRARS_PATH + "?)");
      failure.initCause(e);
      throw failure;
    } finally {
      if (clean) {
        kryos.free(kryo);
      }
    }
  }

  /** The configured {@value LimitedInput#MAX_ELEMENTS_PATH}, within its range. */
  static int maxElements(com.typesafe.config.Config config) {
    long n = config.getLong(LimitedInput.MAX_ELEMENTS_PATH);
    if (n < LEAST_ELEMENTS || n > MOST_ELEMENTS) {
      throw new IllegalArgumentException(LimitedInput.MAX_ELEMENTS_PATH + " = " + n + " is out of range; use "
          + LEAST_ELEMENTS + " to " + MOST_ELEMENTS);
    }
    return (int) n;
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }
}
