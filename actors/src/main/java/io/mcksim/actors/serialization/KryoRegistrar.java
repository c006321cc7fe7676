package io.mcksim.actors.serialization;

/**
 * A module's contribution to the Kryo class table. Each module that sends {@link SimMessage}s across
 * JVMs has one implementation with a public no-argument constructor, owns an id range of its own
 * (at or above {@link KryoRegistry#FIRST_MODULE_ID}), and is named in the configuration list
 * {@code mcksim.actors.serialization.registrars}. Ids are part of the wire format: never reuse or
 * renumber one once a build has shipped; retire it instead.
 */
public interface KryoRegistrar {

  /** First id of this registrar's range, inclusive; at least {@link KryoRegistry#FIRST_MODULE_ID}. */
  int firstId();

  /** Last id of this registrar's range, inclusive. */
  int lastId();

  /**
   * Registers this module's classes: each message class, and every class its fields can hold that
   * the base table lacks (nested records, enums, arrays of them), each with a fixed id in the range.
   */
  void register(KryoRegistry.Builder registry);

  /** How error messages name this registrar; its class name unless overridden. */
  default String name() {
    return getClass().getName();
  }
}
