package io.mcksim.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.typesafe.config.Config;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter;

/**
 * The one table of classes the mcksim Kryo serializer knows, each with a fixed numeric id, so that
 * every JVM of a run writes and reads the same ids. The base table (ids 0 to 999) holds the JDK and
 * Pekko classes messages commonly contain; modules add their own classes through
 * {@link KryoRegistrar}s, each within the id range it declares. Building a registry rejects an id or
 * a class claimed twice, naming both claimants.
 *
 * <p>Base ids: 0 to 8 are Kryo's own (int, String, float, boolean, byte, char, short, long, double;
 * the boxed types share them); 10 to 19 arrays; 20 to 29 mutable collections; 30 to 43 immutable JDK
 * collections; 44 to 47 optionals; 50 to 59 value types; 100 the typed {@link ActorRef}. Never
 * renumber an entry: ids are the wire format.
 */
public final class KryoRegistry {

  /** Configuration key listing the fully qualified class names of the {@link KryoRegistrar}s. */
  public static final String REGISTRARS_PATH = "mcksim.actors.serialization.registrars";

  /** Lowest id a module's registrar may use; ids below belong to the base table. */
  public static final int FIRST_MODULE_ID = 1000;

  /** Highest id any registrar may use (Kryo writes id + 2 as a varint). */
  public static final int LAST_ID = Integer.MAX_VALUE - 2;

  /**
   * How deep objects nest in one message (Kryo's depth: the message is 1, each object inside it one
   * more). Messages are records of fixed shape, a few levels deep; a deeper one is refused rather than
   * read by recursion as deep as its sender likes.
   */
  public static final int MAX_DEPTH = 64;

  private static final String BASE_OWNER = "the mcksim base table";

  /**
   * One row of the table. {@code serializer} is null when Kryo's default serializer for the class
   * applies (records, enums, collections, {@link ActorRef}s); {@code builtIn} marks the rows Kryo
   * registers by itself, which the table lists only so that nobody else takes their ids.
   */
  public record Entry(int id, Class<?> type, Supplier<? extends Serializer<?>> serializer, String owner,
      boolean builtIn) {
  }

  private final List<Entry> entries;

  private KryoRegistry(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The base table alone: JDK and Pekko classes, no module's messages. */
  public static KryoRegistry base() {
    return of(List.of());
  }

  /** The base table plus the given registrars' classes. */
  public static KryoRegistry of(List<? extends KryoRegistrar> registrars) {
    Builder builder = new Builder();
    builder.begin(BASE_OWNER, 0, FIRST_MODULE_ID - 1);
    baseTable(builder);
    Set<String> names = new HashSet<>();
    for (KryoRegistrar registrar : registrars) {
      String name = registrar.name();
      if (!names.add(name)) {
        throw new IllegalArgumentException("Kryo registrar " + name + " is given twice");
      }
      int first = registrar.firstId();
      int last = registrar.lastId();
      if (first < FIRST_MODULE_ID || last < first || last > LAST_ID) {
        throw new IllegalArgumentException("Kryo registrar " + name + " declares the id range " + first
            + ".." + last + "; a module's range must lie within " + FIRST_MODULE_ID + ".." + LAST_ID
            + " (ids below " + FIRST_MODULE_ID + " are the base table's) and start at or before its end");
      }
      builder.begin(name, first, last);
      registrar.register(builder);
    }
    return new KryoRegistry(new ArrayList<>(builder.byId.values()));
  }

  /**
   * The base table plus the registrars named in {@value #REGISTRARS_PATH} (an object of module name
   * to class name, taken in module-name order), each loaded with {@code loader} and created through
   * its public no-argument constructor.
   */
  public static KryoRegistry fromConfig(Config config, ClassLoader loader) {
    // an object keyed by module, so that each module's reference.conf can add its own entry
    List<String> names = new ArrayList<>();
    if (config.hasPath(REGISTRARS_PATH)) {
      Config table = config.getConfig(REGISTRARS_PATH);
      new java.util.TreeSet<>(table.root().keySet()).forEach(k -> names.add(table.getString(
          com.typesafe.config.ConfigUtil.quoteString(k))));
    }
    List<KryoRegistrar> registrars = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException(REGISTRARS_PATH + " lists " + name + " twice");
      }
      registrars.add(instantiate(name, loader));
    }
    return of(registrars);
  }

  private static KryoRegistrar instantiate(String name, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(name, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(REGISTRARS_PATH + " names " + name
          + ", which cannot be loaded (is its module on the class path? nested classes are written Outer$Inner): "
          + e, e);
    }
    if (!KryoRegistrar.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(REGISTRARS_PATH + " names " + name + ", which does not implement "
          + KryoRegistrar.class.getName());
    }
    try {
      return (KryoRegistrar) type.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalArgumentException(REGISTRARS_PATH + " names " + name
          + ", which has no public no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("Kryo registrar " + name + " failed in its constructor: " + e.getCause(),
          e.getCause());
    } catch (InstantiationException e) {
      throw new IllegalArgumentException(REGISTRARS_PATH + " names " + name + ", which is abstract", e);
    }
  }

  /** All rows, in id order. */
  public List<Entry> entries() {
    return entries;
  }

  /**
   * A new Kryo instance that knows exactly this table: registration required, references off
   * (messages are trees), nesting at most {@value #MAX_DEPTH} objects deep, the lengths of arrays of
   * objects, collections and maps checked before they are allocated when read from a
   * {@link LimitedInput}, {@link ActorRef}s written through {@code actorRefs}. A null
   * {@code actorRefs} makes any ActorRef fail, with a message saying it needs an actor system.
   */
  public Kryo newKryo(ClassLoader loader, Serializer<?> actorRefs) {
    Kryo kryo = new RegisteredKryo();
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    kryo.setMaxDepth(MAX_DEPTH);
    if (loader != null) {
      kryo.setClassLoader(loader);
    }
    kryo.addDefaultSerializer(ActorRef.class, actorRefs != null ? actorRefs
        : new ActorRefKryoSerializer(() -> {
          throw new IllegalStateException("an ActorRef inside a message can be written only by the "
              + "KryoSerializer of an actor system, which resolves it through " + ActorRefResolver.class.getName());
        }));
    for (Entry entry : entries) {
      if (entry.builtIn()) {
        Registration own = kryo.getRegistration(entry.type());
        if (own.getId() != entry.id()) {
          throw new IllegalStateException("Kryo registers " + entry.type().getName() + " with id " + own.getId()
              + ", but the mcksim base table expects " + entry.id() + "; the Kryo version changed its built-ins");
        }
      } else {
        Registration row = entry.serializer() != null
            ? kryo.register(entry.type(), entry.serializer().get(), entry.id())
            : kryo.register(entry.type(), entry.id());
        row.setSerializer(LimitedContainerSerializer.limiting(row.getSerializer(), entry.type()));
      }
    }
    return kryo;
  }

  /** The table, one row per line: id, class, owner. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Entry entry : entries) {
      text.append(entry.id()).append('\t').append(entry.type().getName()).append('\t').append(entry.owner())
          .append('\n');
    }
    return text.toString();
  }

  private static void baseTable(Builder b) {
    // Registered by Kryo itself; boxed types share these ids.
    b.builtIn(int.class, 0);
    b.builtIn(String.class, 1);
    b.builtIn(float.class, 2);
    b.builtIn(boolean.class, 3);
    b.builtIn(byte.class, 4);
    b.builtIn(char.class, 5);
    b.builtIn(short.class, 6);
    b.builtIn(long.class, 7);
    b.builtIn(double.class, 8);
    // Arrays.
    b.register(byte[].class, 10);
    b.register(char[].class, 11);
    b.register(short[].class, 12);
    b.register(int[].class, 13);
    b.register(long[].class, 14);
    b.register(float[].class, 15);
    b.register(double[].class, 16);
    b.register(boolean[].class, 17);
    b.register(String[].class, 18);
    b.register(Object[].class, 19);
    // Mutable collections.
    b.register(ArrayList.class, 20);
    b.register(LinkedList.class, 21);
    b.register(ArrayDeque.class, 22);
    b.register(HashMap.class, 23);
    b.register(LinkedHashMap.class, 24);
    b.register(TreeMap.class, 25);
    b.register(HashSet.class, 26);
    b.register(LinkedHashSet.class, 27);
    b.register(TreeSet.class, 28);
    b.register(EnumSet.class, 29);
    // Immutable JDK collections: List.of, Set.of, Map.of and their kin, by their runtime classes.
    b.register(List.of().getClass(), 30);
    b.register(List.of(1).getClass(), 31);
    b.register(List.of(1, 2, 3).subList(0, 1).getClass(), 32);
    b.register(Set.of().getClass(), 33);
    b.register(Set.of(1).getClass(), 34);
    b.register(Map.of().getClass(), 35);
    b.register(Map.of(1, 1).getClass(), 36);
    b.register(Collections.emptyList().getClass(), 37);
    b.register(Collections.emptySet().getClass(), 38);
    b.register(Collections.emptyMap().getClass(), 39);
    b.register(Collections.singletonList(1).getClass(), 40);
    b.register(Collections.singleton(1).getClass(), 41);
    b.register(Collections.singletonMap(1, 1).getClass(), 42);
    b.register(Arrays.asList(1).getClass(), 43);
    // Optionals.
    b.register(Optional.class, 44);
    b.register(OptionalInt.class, 45);
    b.register(OptionalLong.class, 46);
    b.register(OptionalDouble.class, 47);
    // Value types.
    b.register(BigInteger.class, 50);
    b.register(BigDecimal.class, 51);
    b.register(UUID.class, 52, DefaultSerializers.UUIDSerializer::new);
    b.register(Duration.class, 53);
    b.register(Instant.class, 54);
    b.register(BitSet.class, 55);
    // Pekko: the runtime class of typed ActorRefs, local and remote alike.
    b.register(ActorRefAdapter.class, 100);
  }

  /**
   * Where registrars write their rows. Each {@code register} call claims one id for one class; the
   * id must lie in the calling registrar's range and be unused, the class must not be registered yet,
   * and a record must be public (as must the classes it is nested in).
   */
  public static final class Builder {

    private final Map<Integer, Entry> byId = new TreeMap<>();
    private final Map<Class<?>, Entry> byClass = new HashMap<>();
    private String owner;
    private int first;
    private int last;

    private Builder() {
    }

    private void begin(String owner, int first, int last) {
      this.owner = owner;
      this.first = first;
      this.last = last;
    }

    /** Registers {@code type} under {@code id}, written by Kryo's default serializer for it. */
    public Builder register(Class<?> type, int id) {
      return add(type, id, null, false);
    }

    /** Registers {@code type} under {@code id}, written by a serializer {@code serializer} makes for each Kryo. */
    public Builder register(Class<?> type, int id, Supplier<? extends Serializer<?>> serializer) {
      if (serializer == null) {
        throw new IllegalArgumentException(owner + " registers " + name(type) + " with a null serializer supplier");
      }
      return add(type, id, serializer, false);
    }

    private void builtIn(Class<?> type, int id) {
      add(type, id, null, true);
    }

    private Builder add(Class<?> type, int id, Supplier<? extends Serializer<?>> serializer, boolean builtIn) {
      if (type == null) {
        throw new IllegalArgumentException(owner + " registers a null class with id " + id);
      }
      if (id < first || id > last) {
        throw new IllegalArgumentException("Kryo registrar " + owner + " registers " + name(type) + " with id " + id
            + ", outside its range " + first + ".." + last);
      }
      if (type.isInterface()) {
        throw new IllegalArgumentException(owner + " registers the interface " + name(type)
            + "; register the concrete classes (records, enums) that implement it");
      }
      if (type.isRecord()) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
          if (!Modifier.isPublic(c.getModifiers())) {
            throw new IllegalArgumentException(owner + " registers the record " + name(type) + ", but "
                + (c == type ? "it" : "its enclosing class " + name(c))
                + " is not public; records sent across JVMs must be public");
          }
        }
      }
      Entry entry = new Entry(id, type, serializer, owner, builtIn);
      Entry sameId = byId.get(id);
      if (sameId != null) {
        throw new IllegalArgumentException("Kryo id " + id + " is claimed twice: by " + name(sameId.type()) + " ("
            + sameId.owner() + ") and by " + name(type) + " (" + owner + "); give one of them another id");
      }
      Entry sameClass = byClass.get(type);
      if (sameClass != null) {
        throw new IllegalArgumentException("class " + name(type) + " is registered twice: with id " + sameClass.id()
            + " (" + sameClass.owner() + ") and with id " + id + " (" + owner
            + "); only the module that owns a class registers it");
      }
      byId.put(id, entry);
      byClass.put(type, entry);
      return this;
    }
  }

  private static String name(Class<?> type) {
    return type.getName();
  }

  /** Kryo whose complaint about an unregistered class says how mcksim registers one. */
  private static final class RegisteredKryo extends Kryo {
    @Override
    @SuppressWarnings("rawtypes") // Kryo's own signature
    protected String unregisteredClassMessage(Class type) {
      String java = type.getCanonicalName() != null ? type.getCanonicalName() : type.getName();
      String hint = type.getName().startsWith("java.")
          ? " For JDK types, prefer one the base table has (ArrayList, HashMap, List.of, Map.of, Optional, ...;"
              + " see " + KryoRegistry.class.getName() + ")."
          : "";
      return "class " + type.getName() + " is not registered with the mcksim Kryo serializer. Every class a "
          + SimMessage.class.getSimpleName() + " contains needs a fixed id: in the " + KryoRegistrar.class.getName()
          + " of its module add registry.register(" + java + ".class, <an unused id in that registrar's range>),"
          + " and list the registrar in " + REGISTRARS_PATH + "." + hint;
    }
  }
}
