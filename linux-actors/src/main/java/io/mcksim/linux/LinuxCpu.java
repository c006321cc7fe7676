package io.mcksim.linux;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.SyscallCosts;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.ProgramCursor;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Linux CPU running a program natively, one thread after another: computing, and making every
 * system call in Linux itself (entry and exit, {@code costs.syscall.linux-entry}, plus the call's
 * service time). The baseline the McKernel side is compared with. OS noise comes with the noise
 * model; this CPU is quiet.
 */
public final class LinuxCpu implements SimEntity {

  private record Step(long token) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return token;
    }
  }

  private final int cpu;
  private final SyscallCosts syscalls;
  private final Program program;
  private final Map<String, LatencyLog> latencies = new TreeMap<>();
  private ProgramCursor cursor;
  private long token;
  private String callName;
  private long callStart = -1;
  private int exitStatus = -1;
  private long exitTime = -1;

  /** @param program what the CPU runs from time 0, or null for an idle CPU */
  public LinuxCpu(int cpu, SyscallCosts syscalls, Program program) {
    this.cpu = cpu;
    this.syscalls = syscalls;
    this.program = program;
  }

  @Override
  public void start(SimContext ctx) {
    if (program != null) {
      cursor = new ProgramCursor(program);
      ctx.send(ctx.self(), 0, 0, new Step(++token));
    }
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (!(payload instanceof Step s)) {
      throw new IllegalArgumentException("Linux CPU " + cpu + " got an unknown message " + payload);
    }
    if (s.token() != token) {
      return;
    }
    if (callStart >= 0) {
      latencies.computeIfAbsent(callName, k -> new LatencyLog()).add(ctx.now() - callStart);
      callStart = -1;
    }
    Op op = cursor.next();
    if (op == null || op instanceof Op.Exit) {
      exitStatus = op == null ? Program.IMPLICIT_EXIT_STATUS : ((Op.Exit) op).status();
      exitTime = ctx.now();
      return;
    }
    long delay;
    if (op instanceof Op.Compute c) {
      delay = c.ns();
    } else if (op instanceof Op.Syscall sc) {
      callName = sc.name();
      callStart = ctx.now();
      delay = syscalls.linuxEntry() + syscalls.linux(sc.name());
    } else {
      throw new UnsupportedOperationException("Linux CPU " + cpu + ": " + op.getClass().getSimpleName()
          + " operations are not modelled yet");
    }
    ctx.send(ctx.self(), delay, 0, new Step(++token));
  }

  /** Per syscall name, the latencies of the calls made here. */
  public Map<String, LatencyLog> latencies() {
    return latencies;
  }

  public int exitStatus() {
    return exitStatus;
  }

  public long exitTime() {
    return exitTime;
  }
}
