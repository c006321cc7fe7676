package io.mcksim.mckernel.chaos;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.VirtualTime;
import io.mcksim.ikc.ChannelSpec;
import io.mcksim.ikc.Credit;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.PacketType;
import java.util.SplittableRandom;

/**
 * One McKernel CPU of a node's instance and the job's thread on it: each iteration it allocates (and
 * fails when the partition is exhausted), computes, offloads a call over IKC to the proxy and waits for
 * the reply; every few iterations it writes a checkpoint. While its instance runs it updates its
 * heartbeat counter every monitor interval. A panic stops it and raises the status notice; a hang
 * stops it silently (only the hang monitor notices); a halt from IHK stops it and its thread.
 */
final class ChaosLwk extends ChaosPart {

  enum State { IDLE, COMPUTE, WAIT, CHECKPOINT }

  static final int SIGABRT = 6;

  private final int cpu;
  /** This CPU's channel to Linux (ikc2linux) and from it (ikc2mckernel), for the running instance. */
  private IkcSender requests;
  private IkcReceiver replies;
  private long generation = -1;
  private boolean halted = true;
  private boolean hung;
  private int pid;
  private int iteration;
  private long seq;
  private State state = State.IDLE;
  private long exhaustedUntil;

  ChaosLwk(ChaosMachine m, int node, int cpu, SplittableRandom random) {
    super(m, node, random);
    this.cpu = cpu;
  }

  int pid() {
    return pid;
  }

  State state() {
    return state;
  }

  /** A thread that is still working (or waiting) when the run is over. */
  boolean stuck() {
    return !lost && state != State.IDLE;
  }

  @Override
  void handle(SimContext ctx, int source, long data, Object payload) {
    if (hung && !(payload instanceof Msg.Halt)) {
      return; // a hung CPU does nothing more until IHK stops it
    }
    if (payload instanceof Msg.Booted b) {
      onBooted(ctx, b);
    } else if (payload instanceof Msg.Beat b) {
      onBeat(ctx, b);
    } else if (payload instanceof Msg.Run r) {
      onRun(ctx, r);
    } else if (payload instanceof Msg.Step s) {
      onStep(ctx, s);
    } else if (payload instanceof IkcPacket p) {
      onPacket(ctx, source, p);
    } else if (payload instanceof Credit c) {
      if (requests != null && c.channel() == requests.channel()) {
        requests.onCredit(ctx, c);
      }
    } else if (payload instanceof Msg.Stop s) {
      if (s.pid() == pid) {
        endThread();
      }
    } else if (payload instanceof Msg.Halt) {
      halted = true;
      hung = false;
      generation = -1;
      endThread();
    } else if (payload instanceof Msg.Inject i) {
      onInject(ctx, i);
    } else {
      throw unexpected(payload);
    }
  }

  private void endThread() {
    pid = 0;
    state = State.IDLE;
  }

  private void onBooted(SimContext ctx, Msg.Booted b) {
    generation = b.generation();
    halted = false;
    quiesced = false;
    ChaosIkc ikc = m.ikc(node);
    requests = ikc.requestSender(node, cpu, generation, ctx.now(), ctx.self());
    replies = ikc.receiver(ikc.toMcKernel(generation, cpu), ChannelSpec.Kind.IKC2MCKERNEL);
    ctx.send(ctx.self(), m.chaos.monitorIntervalNs(), 0, new Msg.Beat(generation));
  }

  private void onBeat(SimContext ctx, Msg.Beat b) {
    if (b.generation() != generation || halted || quiesced) {
      return;
    }
    ctx.send(m.agent(node), m.messageNs, 0, new Msg.Heartbeat(cpu, generation));
    ctx.send(ctx.self(), m.chaos.monitorIntervalNs(), 0, new Msg.Beat(generation));
  }

  private void onRun(SimContext ctx, Msg.Run r) {
    if (halted) {
      return;
    }
    pid = r.pid();
    iteration = r.from();
    beginIteration(ctx);
  }

  /** An iteration: its faults' opportunities, its allocation, then its compute. */
  private void beginIteration(SimContext ctx) {
    if (m.fires("lwk-panic", random)) {
      m.fired("lwk-panic");
      panic(ctx);
      return;
    }
    if (m.fires("lwk-hang", random)) {
      m.fired("lwk-hang");
      hung = true;
      return;
    }
    if (m.fires("memory-exhaustion", random)) {
      m.fired("memory-exhaustion");
      exhaust(ctx, m.siteDuration("memory-exhaustion"));
    }
    if (ctx.now() < exhaustedUntil) {
      // the iteration's buffer cannot be allocated: the application aborts
      ctx.send(m.agent(node), m.messageNs, 0, new Msg.ThreadAborted(pid, cpu, SIGABRT, exhaustedUntil));
      endThread();
      return;
    }
    state = State.COMPUTE;
    ctx.send(ctx.self(), m.chaos.job().quantumNs(), 0, new Msg.Step(pid, iteration));
  }

  private void onStep(SimContext ctx, Msg.Step s) {
    if (s.pid() != pid || halted) {
      return;
    }
    if (state == State.CHECKPOINT) {
      ctx.send(m.agent(node), m.messageNs, 0, new Msg.Checkpointed(pid, cpu, iteration));
      beginIteration(ctx);
    } else if (state == State.COMPUTE) {
      state = State.WAIT;
      seq++;
      requests.send(ctx, IkcPacket.of(PacketType.SYSCALL_ONESIDE, pid, cpu, cpu, 0, seq));
    }
  }

  /** A packet on this CPU's ikc2mckernel channel: the wake-up that carries an offloaded call's result. */
  private void onPacket(SimContext ctx, int writer, IkcPacket p) {
    if (halted || replies == null || p.channel() != replies.spec().id()) {
      return; // a stopped CPU reads nothing; a dead instance's channel is gone
    }
    if (replies.onPacket(p, writer) == IkcReceiver.Verdict.DUPLICATE) {
      return;
    }
    replies.consumed(ctx, writer);
    // the call's result (its return value, -EIO after a service crash) does not stop the thread
    if (p.pid() != pid || p.arg() != seq || state != State.WAIT) {
      return; // late for a thread that is gone
    }
    iteration++;
    int every = m.chaos.job().checkpointInterval();
    if (iteration == m.chaos.job().iterations()) {
      ctx.send(m.agent(node), m.messageNs, 0, new Msg.ThreadDone(pid, cpu));
      endThread();
    } else if (every > 0 && iteration % every == 0) {
      state = State.CHECKPOINT;
      ctx.send(ctx.self(), Math.max(1, m.chaos.job().checkpointNs()), 0, new Msg.Step(pid, iteration));
    } else {
      beginIteration(ctx);
    }
  }

  private void onInject(SimContext ctx, Msg.Inject i) {
    if (halted) {
      return; // a stopped CPU cannot fail again
    }
    switch (i.kind()) {
      case "lwk-panic" -> panic(ctx);
      case "lwk-hang" -> hung = true;
      case "memory-exhaustion" -> exhaust(ctx, i.durationNs());
      default -> throw new IllegalStateException("McKernel CPU: no fault " + i.kind());
    }
  }

  /** The CPU stops; its monitor word reads PANIC, which IHK sees as the instance's status notice. */
  private void panic(SimContext ctx) {
    halted = true;
    ctx.send(m.agent(node), m.messageNs, 0, new Msg.PanicNotice(cpu, generation));
  }

  /** Memory stays exhausted for {@code durationNs} from now (longer if it already was; "forever" never wraps). */
  private void exhaust(SimContext ctx, long durationNs) {
    exhaustedUntil = Math.max(exhaustedUntil, VirtualTime.after(ctx.now(), durationNs));
  }
}
