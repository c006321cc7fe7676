package io.mcksim.mckernel.chaos;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.VirtualTime;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * The Linux service that runs offloaded calls (a file system, say), first come first served. When it
 * crashes, the calls it holds fail (EIO) and so does every call until it is back; the McKernel threads
 * see a failed call and go on.
 */
final class ChaosService extends ChaosPart {

  private final ArrayDeque<Msg.Call> queue = new ArrayDeque<>();
  private boolean busy;
  private long downUntil;
  private long crashes;
  /** Which service run a CpuFree belongs to: a crash ends the call in service, and its completion. */
  private long token;

  ChaosService(ChaosMachine m, int node, SplittableRandom random) {
    super(m, node, random);
  }

  @Override
  void handle(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Msg.Call c) {
      if (m.fires("service-crash", random)) {
        m.fired("service-crash");
        crash(ctx, m.chaos.serviceRestartNs());
      }
      if (ctx.now() < downUntil) {
        fail(ctx, c);
        return;
      }
      queue.add(c);
      next(ctx);
    } else if (payload instanceof Msg.CpuFree) {
      if (data != token) {
        return;
      }
      busy = false;
      Msg.Call c = queue.poll();
      if (c != null) {
        ctx.send(m.linux(node), m.messageNs, 0, new Msg.Result(c.pid(), c.cpu(), c.seq(), true));
      }
      next(ctx);
    } else if (payload instanceof Msg.Inject i) {
      crash(ctx, i.durationNs() > 0 ? i.durationNs() : m.chaos.serviceRestartNs());
    } else if (payload instanceof Msg.ServiceBack b) {
      if (b.crash() == crashes) {
        downUntil = 0;
      }
    } else {
      throw unexpected(payload);
    }
  }

  private void next(SimContext ctx) {
    if (!busy && !queue.isEmpty()) {
      busy = true;
      ctx.send(ctx.self(), m.chaos.job().syscallNs(), token, new Msg.CpuFree());
    }
  }

  /** Down until {@code now + outage}: every call it holds fails now. */
  private void crash(SimContext ctx, long outage) {
    crashes++;
    downUntil = VirtualTime.after(ctx.now(), outage);
    while (!queue.isEmpty()) {
      fail(ctx, queue.poll());
    }
    busy = false;
    token++; // the call in service is lost with the crash, and so is its completion
    ctx.send(ctx.self(), outage, 0, new Msg.ServiceBack(crashes));
  }

  private void fail(SimContext ctx, Msg.Call c) {
    ctx.send(m.linux(node), m.messageNs, 0, new Msg.Result(c.pid(), c.cpu(), c.seq(), false));
  }
}
