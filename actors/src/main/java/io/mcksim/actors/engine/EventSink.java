package io.mcksim.actors.engine;

/** Receives events one by one, fields unboxed: a queue, a buffer, a stream link. */
@FunctionalInterface
interface EventSink {
  void accept(long time, int target, int source, long seq, long data, Object payload);
}
