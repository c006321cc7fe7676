package io.mcksim.actors.engine;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Counts the entity actors of a domain that still run the current batch. The last one to finish tells
 * the domain: one message per batch instead of one reply per entity. The atomic decrement orders each
 * entity's writes to its cell before the domain reads the cells.
 */
final class BatchLatch {

  private final AtomicInteger pending = new AtomicInteger();
  private final ActorRef<DomainSequencer.Command> domain;

  BatchLatch(ActorRef<DomainSequencer.Command> domain) {
    this.domain = domain;
  }

  void arm(int count) {
    pending.set(count);
  }

  void arrive() {
    if (pending.decrementAndGet() == 0) {
      domain.tell(DomainSequencer.BatchDone.INSTANCE);
    }
  }
}
