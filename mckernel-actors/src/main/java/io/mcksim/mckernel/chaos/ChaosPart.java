package io.mcksim.mckernel.chaos;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.ikc.IkcPacket;
import java.util.SplittableRandom;

/**
 * What every entity of a chaos node shares: its node, its random stream, the trail of its last events,
 * the IKC packets that reached it, and the two states every part of a node can be put in: lost with its
 * node (it then does nothing at all) and quiet once the node's job is over (periodic work stops).
 */
abstract class ChaosPart implements SimEntity {

  final ChaosMachine m;
  final int node;
  final SplittableRandom random;
  private final Trail trail = new Trail();
  /** IKC packets that reached this entity, live channel or not. */
  long arrivals;
  boolean lost;
  boolean quiesced;

  ChaosPart(ChaosMachine m, int node, SplittableRandom random) {
    this.m = m;
    this.node = node;
    this.random = random;
  }

  /** The last events this entity handled. */
  Trail trail() {
    return trail;
  }

  @Override
  public final void onEvent(SimContext ctx, int source, long data, Object payload) {
    trail.add(ctx.now(), source, payload);
    if (payload instanceof IkcPacket) {
      arrivals++;
    }
    if (payload instanceof Msg.Lose) {
      lost = true;
    }
    if (lost) {
      return;
    }
    if (payload instanceof Msg.Quiesce) {
      quiesced = true;
      return;
    }
    handle(ctx, source, data, payload);
  }

  /** An event for a part that is neither lost nor told to be quiet. */
  abstract void handle(SimContext ctx, int source, long data, Object payload);

  /** A model bug: an event this part has no use for. */
  IllegalStateException unexpected(Object payload) {
    return new IllegalStateException(m.nameOf(m.agent(node)).replace("IHK", getClass().getSimpleName())
        + ": unexpected " + payload);
  }
}
