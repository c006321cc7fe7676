package io.mcksim.mckernel.chaos;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.ikc.ChannelSpec;
import io.mcksim.ikc.Credit;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.PacketType;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * The node's Linux CPU that the proxy (mcexec) of the job's process runs on, beside Linux-side work:
 * one CPU, first come first served. The proxy forwards each offloaded call to the Linux service and
 * the answer back over IKC, each costing {@code proxy-forward} of this CPU. A proxy whose McKernel
 * instance has failed, and that nobody killed, polls its dead channel without end, as mcexec does.
 *
 * <p>It checks, as it runs, that Linux-side work is never delayed by an LWK fault: once the instance
 * has failed, no time of this CPU may go to that instance's proxy.
 */
final class ChaosLinux extends ChaosPart {

  private static final int LINUX = 0;
  private static final int FORWARD_REQUEST = 1;
  private static final int FORWARD_REPLY = 2;
  private static final int POLL = 3;
  private static final int EIO = 5;

  /** One stretch of work on this CPU: Linux's own, or the proxy's for process {@code pid}. */
  private record Item(int kind, int pid, int cpu, long seq, boolean ok) {}

  /** The running instance's channels: from each McKernel CPU (ikc2linux) and to it (ikc2mckernel). */
  private java.util.Map<Integer, IkcReceiver> requests = java.util.Map.of();
  private IkcSender[] replies = new IkcSender[0];
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private Item running;
  private int proxyPid;
  private boolean proxyAlive;
  /** The process whose instance failed, and when (mcctrl's notice); -1 when none. */
  private int downPid;
  private long downSince = -1;
  long linuxWork;

  ChaosLinux(ChaosMachine m, int node, SplittableRandom random) {
    super(m, node, random);
  }

  @Override
  public void start(SimContext ctx) {
    ctx.send(ctx.self(), m.chaos.linuxWorkPeriodNs(), 0, new Msg.LinuxWork(0));
  }

  @Override
  void handle(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Msg.LinuxWork w) {
      if (!quiesced) {
        enqueue(ctx, new Item(LINUX, 0, 0, w.index(), true));
        ctx.send(ctx.self(), m.chaos.linuxWorkPeriodNs(), 0, new Msg.LinuxWork(w.index() + 1));
      }
    } else if (payload instanceof Msg.Launch l) {
      proxyPid = l.pid();
      proxyAlive = true;
    } else if (payload instanceof Msg.Booted b) {
      ChaosIkc ikc = m.ikc(node);
      requests = new java.util.HashMap<>();
      replies = new IkcSender[m.threads];
      for (int c = 0; c < m.threads; c++) {
        int channel = ikc.toLinux(b.generation(), c);
        requests.put(channel, ikc.receiver(channel, ChannelSpec.Kind.IKC2LINUX));
        replies[c] = ikc.replySender(node, c, b.generation(), ctx.now(), ctx.self());
      }
    } else if (payload instanceof Credit c) {
      for (IkcSender s : replies) {
        if (s.channel() == c.channel()) {
          s.onCredit(ctx, c);
        }
      }
    } else if (payload instanceof IkcPacket p) {
      IkcReceiver in = requests.get(p.channel());
      if (in == null || in.onPacket(p, source) == IkcReceiver.Verdict.DUPLICATE) {
        return; // a dead instance's channel, or a copy of a packet already read
      }
      in.consumed(ctx, source); // mcctrl has read it: the slot is free
      if (!live(p.pid())) {
        return; // no proxy for it any more
      }
      if (m.fires("proxy-death", random)) {
        m.fired("proxy-death");
        proxyDies(ctx, ChaosAgent.KILLED);
        return;
      }
      enqueue(ctx, new Item(FORWARD_REQUEST, p.pid(), p.cpu(), p.arg(), true));
    } else if (payload instanceof Msg.Result r) {
      if (live(r.pid())) {
        enqueue(ctx, new Item(FORWARD_REPLY, r.pid(), r.cpu(), r.seq(), r.ok()));
      }
    } else if (payload instanceof Msg.CpuFree) {
      done(ctx);
    } else if (payload instanceof Msg.Kill k) {
      if (live(k.pid())) {
        proxyDies(ctx, k.status());
      }
    } else if (payload instanceof Msg.Exited e) {
      if (live(e.pid())) {
        proxyDies(ctx, 0);
      }
    } else if (payload instanceof Msg.InstanceDown) {
      downSince = ctx.now();
      downPid = proxyAlive ? proxyPid : -1;
      if (proxyAlive) {
        ctx.send(ctx.self(), pollPeriod(), 0, new Msg.Poll(proxyPid));
      }
    } else if (payload instanceof Msg.Poll p) {
      if (live(p.pid())) {
        enqueue(ctx, new Item(POLL, p.pid(), 0, 0, true));
        ctx.send(ctx.self(), pollPeriod(), 0, new Msg.Poll(p.pid()));
      }
    } else if (payload instanceof Msg.Inject i) {
      if (proxyAlive) {
        proxyDies(ctx, ChaosAgent.KILLED);
      }
    } else {
      throw unexpected(payload);
    }
  }

  private long pollPeriod() {
    return Math.max(1, m.chaos.monitorIntervalNs() / 4);
  }

  private boolean live(int pid) {
    return proxyAlive && pid == proxyPid;
  }

  /** The proxy exits (killed, or the process ended): its pending work goes with it. */
  private void proxyDies(SimContext ctx, int status) {
    proxyAlive = false;
    queue.removeIf(item -> item.pid() == proxyPid);
    ctx.send(m.agent(node), m.messageNs, 0, new Msg.ProxyExited(proxyPid, status));
  }

  private void enqueue(SimContext ctx, Item item) {
    queue.add(item);
    next(ctx);
  }

  private void next(SimContext ctx) {
    if (running != null || queue.isEmpty()) {
      return;
    }
    running = queue.poll();
    if (running.kind() != LINUX && running.pid() == downPid && downSince >= 0) {
      throw m.violation("linux-undisturbed", ctx.now(), "node " + node + ": the Linux CPU is about to spend "
          + "time on the proxy of process " + running.pid() + ", whose McKernel instance failed at " + downSince
          + " ns; Linux-side work must not be delayed by a failed LWK (was its proxy killed?)",
          ctx.self(), m.agent(node));
    }
    long cost = running.kind() == LINUX ? m.chaos.linuxWorkNs() : m.chaos.proxyForwardNs();
    ctx.send(ctx.self(), Math.max(1, cost), 0, new Msg.CpuFree());
  }

  private void done(SimContext ctx) {
    Item item = running;
    running = null;
    if (item.kind() == LINUX) {
      linuxWork++;
    } else if (item.kind() == FORWARD_REQUEST && live(item.pid())) {
      ctx.send(m.service(node), m.messageNs, 0, new Msg.Call(item.pid(), item.cpu(), item.seq()));
    } else if (item.kind() == FORWARD_REPLY && live(item.pid())) {
      replies[item.cpu()].send(ctx, new IkcPacket(PacketType.WAKE_UP_SYSCALL_THREAD, -1, -1, item.pid(), item.cpu(),
          item.cpu(), 0, item.seq(), 0, item.ok() ? 0 : -EIO));
    }
    next(ctx);
  }
}
