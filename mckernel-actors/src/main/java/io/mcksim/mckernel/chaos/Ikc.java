package io.mcksim.mckernel.chaos;

import io.mcksim.actors.engine.SimContext;
import java.util.SplittableRandom;

/**
 * One direction of a node's IKC channel, at its sender: the faults that strike its packets (a
 * scheduled drop, duplicate or delay takes the next packet; a clog holds every packet until it clears;
 * armed sites strike each packet with their probability) and the sender's count of what it sent.
 * Every packet is accounted: sent plus duplicates equals received plus dropped, over the node.
 */
final class Ikc {

  private final ChaosMachine m;
  private final SplittableRandom random;
  private final long latencyNs;
  private long clogUntil;
  private boolean dropNext;
  private boolean duplicateNext;
  private long delayNext;
  long sent;
  long dropped;
  long duplicated;

  Ikc(ChaosMachine m, SplittableRandom random, long latencyNs) {
    this.m = m;
    this.random = random;
    this.latencyNs = latencyNs;
  }

  /** A scheduled fault on this channel. */
  void strike(String kind, long now, long durationNs) {
    switch (kind) {
      case "ikc-drop" -> dropNext = true;
      case "ikc-duplicate" -> duplicateNext = true;
      case "ikc-delay" -> delayNext = durationNs;
      case "ikc-clog" -> clogUntil = Math.max(clogUntil, now + durationNs);
      default -> throw new IllegalArgumentException("not an IKC fault: " + kind);
    }
  }

  /** Sends one packet to {@code target}, through whatever faults strike it. */
  void send(SimContext ctx, int target, Object packet) {
    sent++;
    long now = ctx.now();
    if (m.fires("ikc-clog", random)) {
      clogUntil = Math.max(clogUntil, now + m.siteDuration("ikc-clog"));
      m.fired("ikc-clog");
    }
    if (dropNext || m.fires("ikc-drop", random)) {
      if (!dropNext) {
        m.fired("ikc-drop");
      }
      dropNext = false;
      dropped++;
      return;
    }
    long delay = Math.max(latencyNs, clogUntil - now);
    if (delayNext > 0) {
      delay += delayNext;
      delayNext = 0;
    } else if (m.fires("ikc-delay", random)) {
      delay += m.siteDuration("ikc-delay");
      m.fired("ikc-delay");
    }
    ctx.send(target, delay, 0, packet);
    if (duplicateNext || m.fires("ikc-duplicate", random)) {
      if (!duplicateNext) {
        m.fired("ikc-duplicate");
      }
      duplicateNext = false;
      duplicated++;
      ctx.send(target, delay, 0, packet);
    }
  }
}
