package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.OffloadCosts;
import io.mcksim.config.SyscallCosts;
import io.mcksim.ikc.Credit;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.PacketType;
import io.mcksim.linux.Offload;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.ProgramCursor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One McKernel CPU: it runs the threads on its run queue one at a time, cooperatively and without a
 * tick: a thread runs until it exits (this model has no blocking calls yet), then the next starts.
 *
 * <p>A system call McKernel handles takes its local cost ({@code costs.syscall.local}). Any other is
 * offloaded: the thread marshals the request ({@code marshal}), writes it into this CPU's ring to
 * Linux ({@code ikc-enqueue}; a full ring makes it wait), and spins, holding the CPU, until mcctrl has
 * written the result into its memory; then it resumes ({@code resume}). A hybrid call (read, open, ...)
 * on a regular file goes the offload way, as descriptors McKernel serves itself are not modelled.
 *
 * <p>Per syscall name, the CPU logs each call's latency from the moment the thread issues it to the
 * moment it is back in user space.
 */
public final class McKernelCpu implements SimEntity {

  private enum Phase { RUN, LOCAL_CALL, MARSHAL, SPIN, RESUME }

  private record Step(long token) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return token;
    }
  }

  /** A thread of a McKernel process: its program and where it is in it. */
  public static final class McThread {
    final int pid;
    final int tid;
    final Program program;
    private final ProgramCursor cursor;
    int exitStatus = -1;
    long exitTime = -1;

    public McThread(int pid, int tid, Program program) {
      this.pid = pid;
      this.tid = tid;
      this.program = program;
      this.cursor = new ProgramCursor(program);
    }

    Op next() {
      return cursor.next();
    }

    public int pid() {
      return pid;
    }

    public int tid() {
      return tid;
    }

    /** The exit status, or -1 while it runs. */
    public int exitStatus() {
      return exitStatus;
    }

    /** When it exited, or -1. */
    public long exitTime() {
      return exitTime;
    }
  }

  private final int index;
  private final SyscallTable table;
  private final SyscallCosts syscalls;
  private final OffloadCosts offload;
  private final IkcSender toLinux;
  private final ArrayDeque<McThread> runQueue = new ArrayDeque<>();
  private final List<McThread> threads;
  private final Map<String, LatencyLog> latencies = new TreeMap<>();

  private McThread current;
  private Phase phase = Phase.RUN;
  private long token;
  private String callName;
  private long callStart;
  private Op.Syscall call;
  private long busyNs;
  private long spinNs;

  /**
   * @param index   this CPU's McKernel number
   * @param toLinux the writer's end of this CPU's channel to mcctrl
   * @param threads the threads that start on this CPU at time 0, in order
   */
  public McKernelCpu(int index, SyscallTable table, SyscallCosts syscalls, OffloadCosts offload,
      IkcSender toLinux, List<McThread> threads) {
    this.index = index;
    this.table = table;
    this.syscalls = syscalls;
    this.offload = offload;
    this.toLinux = toLinux;
    this.threads = List.copyOf(threads);
    runQueue.addAll(threads);
  }

  @Override
  public void start(SimContext ctx) {
    if (!runQueue.isEmpty()) {
      current = runQueue.poll();
      continueAfter(ctx, 0);
    }
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Step s) {
      if (s.token() == token) {
        onStep(ctx);
      }
    } else if (payload instanceof Offload.Return r) {
      if (phase != Phase.SPIN || current == null || r.tid() != current.tid) {
        throw new IllegalStateException("McKernel CPU " + index + " got a syscall result for thread "
            + r.tid() + " it does not wait for");
      }
      spinNs += ctx.now() - callStart;
      phase = Phase.RESUME;
      continueAfter(ctx, offload.resume());
    } else if (payload instanceof Credit c) {
      toLinux.onCredit(ctx, c);
    } else {
      throw new IllegalArgumentException("McKernel CPU " + index + " got an unknown message " + payload);
    }
  }

  private void onStep(SimContext ctx) {
    switch (phase) {
      case LOCAL_CALL, RESUME -> {
        latencies.computeIfAbsent(callName, k -> new LatencyLog()).add(ctx.now() - callStart);
        phase = Phase.RUN;
        run(ctx);
      }
      case MARSHAL -> {
        phase = Phase.SPIN;
        toLinux.send(ctx, IkcPacket.of(PacketType.SYSCALL_ONESIDE, current.pid, current.tid, index,
            call.number(), call.args().size()));
      }
      case RUN -> run(ctx);
      default -> throw new IllegalStateException("McKernel CPU " + index + ": step while " + phase);
    }
  }

  /** Runs the current thread's next operation. */
  private void run(SimContext ctx) {
    Op op = current.next();
    if (op == null || op instanceof Op.Exit) {
      current.exitStatus = op == null ? Program.IMPLICIT_EXIT_STATUS : ((Op.Exit) op).status();
      current.exitTime = ctx.now();
      current = runQueue.poll();
      if (current != null) {
        run(ctx);
      }
      return;
    }
    if (op instanceof Op.Compute c) {
      busyNs += c.ns();
      continueAfter(ctx, c.ns());
    } else if (op instanceof Op.Syscall s) {
      call = s;
      callName = s.name();
      callStart = ctx.now();
      if (table.classify(s.number()) == Dispatch.LOCAL) {
        phase = Phase.LOCAL_CALL;
        continueAfter(ctx, syscalls.local(s.name()));
      } else {
        phase = Phase.MARSHAL;
        continueAfter(ctx, offload.marshal() + offload.ikcEnqueue());
      }
    } else {
      throw new UnsupportedOperationException("McKernel CPU " + index + ": " + op.getClass().getSimpleName()
          + " operations are not modelled yet (thread " + current.tid + " of pid " + current.pid + ")");
    }
  }

  private void continueAfter(SimContext ctx, long delay) {
    ctx.send(ctx.self(), delay, 0, new Step(++token));
  }

  public int index() {
    return index;
  }

  /** Per syscall name, the latencies of the calls this CPU's threads made. */
  public Map<String, LatencyLog> latencies() {
    return latencies;
  }

  /** The threads that ran here. */
  public List<McThread> threads() {
    return threads;
  }

  /** Time spent spinning on offloaded calls, summed. */
  public long spinNs() {
    return spinNs;
  }

  public IkcSender toLinux() {
    return toLinux;
  }
}
