package io.mcksim.linux;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.SyscallCosts;
import io.mcksim.workloads.FileDescriptors;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.PageRanges;
import io.mcksim.workloads.ProcView;
import io.mcksim.workloads.Program;
import io.mcksim.linux.noise.NoiseTimeline;
import io.mcksim.workloads.ProgramCursor;
import io.mcksim.workloads.net.RankMember;
import io.mcksim.workloads.net.RankSync;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Linux CPU running a program natively, one thread after another: computing, and making every
 * system call in Linux itself (entry and exit, {@code costs.syscall.linux-entry}, plus the call's
 * service time). The baseline the McKernel side is compared with. Its noise (a
 * {@link NoiseTimeline}) preempts whatever runs: computation and calls stretch by the time stolen.
 *
 * <p>Memory is demand-paged as Linux does it for anonymous memory: the first touch of each 4 KiB page
 * is a page fault ({@code costs.syscall.linux-page-fault}); munmap gives the pages up, so a later
 * touch faults again. Threads, fork and exec are not modelled on Linux CPUs.
 *
 * <p>Reads of /proc and /sys files ({@link ProcView}) show Linux's view: every CPU of the machine, all
 * its memory, and the pages the program has touched.
 */
public final class LinuxCpu implements SimEntity {

  private static final long PAGE = 4096;

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
  private final NoiseTimeline noise;
  /** How long each computation took, noise included: an FWQ's per-iteration samples. */
  private final LatencyLog computeTimes = new LatencyLog();
  /** Units of work done in each FTQ quantum. */
  private final LatencyLog ftqCounts = new LatencyLog();
  private ProgramCursor cursor;
  private long token;
  private String callName;
  private long callStart = -1;
  private int exitStatus = -1;
  private long exitTime = -1;
  private final PageRanges mapped = new PageRanges();
  private long pageFaults;
  /** Descriptors the program opened: the /proc or /sys file each names (NONE for another file). */
  private final FileDescriptors fds = new FileDescriptors();
  /** The thread's part in a BSP application's supersteps, or null. */
  private RankMember<LinuxCpu> member;
  private int rank = -1;
  private int rankThread;
  private long seed;
  private long quanta;
  private int pid = 1000;
  private int machineCpus = 1;
  private long memoryBytes;
  private long viewReads;
  private long viewBytes;

  /** @param program what the CPU runs from time 0, or null for an idle CPU */
  public LinuxCpu(int cpu, SyscallCosts syscalls, Program program) {
    this(cpu, syscalls, program, NoiseTimeline.quiet());
  }

  /** @param noise what interrupts this CPU; it preempts computation and system calls alike */
  public LinuxCpu(int cpu, SyscallCosts syscalls, Program program, NoiseTimeline noise) {
    this.cpu = cpu;
    this.syscalls = syscalls;
    this.program = program;
    this.noise = noise;
  }

  @Override
  public void start(SimContext ctx) {
    if (program != null) {
      cursor = new ProgramCursor(program);
      ctx.send(ctx.self(), 0, 0, new Step(++token));
    }
  }

  /**
   * Makes this CPU's thread thread {@code thread} of rank {@code rank} of a BSP application: its
   * {@code collective} ops meet the rank's other threads, and its {@code quantum} ops draw from the
   * thread's own stream of run seed {@code seed}. Call before the model runs.
   */
  public LinuxCpu withRank(RankMember.Ranks ranks, long seed, int rank, int thread) {
    this.member = new RankMember<>(ranks, SEAT, noise::finish, thread == 0 ? rank : -1);
    this.rank = rank;
    this.rankThread = thread;
    this.seed = seed;
    return this;
  }

  /** A Linux CPU runs one thread: the CPU stands for it in its rank. */
  private static final RankMember.Seat<LinuxCpu> SEAT = new RankMember.Seat<>() {
    @Override
    public int rank(LinuxCpu c) {
      return c.rank;
    }

    @Override
    public boolean first(LinuxCpu c) {
      return c.rankThread == 0;
    }
  };

  /** Per superstep of the rank whose first thread runs here: when its threads went on. */
  public long[] rankReleases() {
    return member == null ? new long[0] : member.releases();
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload == null && member != null && RankSync.isSync(data)) {
      if (member.onEvent(ctx, data) != null) {
        ctx.send(ctx.self(), 0, 0, new Step(++token)); // released: on to the next op
      }
      return;
    }
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
    if (op instanceof Op.FixedTime f) {
      long carry = 0;
      long t = ctx.now();
      for (int k = 0; k < f.quanta(); k++) {
        long work = noise.workBetween(t, t + f.quantumNs()) + carry;
        ftqCounts.add(work / f.unitNs());
        carry = work % f.unitNs();
        t += f.quantumNs();
      }
      delay = t - ctx.now();
    } else if (op instanceof Op.Compute c) {
      delay = noise.finish(ctx.now(), c.ns()) - ctx.now();
      computeTimes.add(delay);
    } else if (op instanceof Op.Quantum q) {
      long work = RankMember.quantum(q, seed, RankMember.seatKey(rank, rankThread), quanta++);
      delay = noise.finish(ctx.now(), work) - ctx.now();
    } else if (op instanceof Op.Collective) {
      if (member == null) {
        throw new IllegalStateException("Linux CPU " + cpu + ": a collective, but the thread belongs to no rank");
      }
      member.arrive(ctx, this);
      return; // the rank's release goes on
    } else if (op instanceof Op.Syscall sc) {
      callName = sc.name();
      callStart = ctx.now();
      onDescriptorCall(sc);
      if (sc.name().equals("munmap") && !sc.args().fails()) {
        long length = sc.args().length() > 0 ? sc.args().length() : sc.args().size();
        mapped.remove(sc.args().address() & -PAGE, (sc.args().address() + length + PAGE - 1) & -PAGE);
      }
      delay = noise.finish(ctx.now(), syscalls.linuxEntry() + syscalls.linux(sc.name())) - ctx.now();
    } else if (op instanceof Op.Touch t) {
      long start = t.address() & -PAGE;
      long end = (t.address() + t.length() + PAGE - 1) & -PAGE;
      long faults = (end - start - mapped.coveredIn(start, end)) / PAGE;
      mapped.add(start, end);
      pageFaults += faults;
      delay = noise.finish(ctx.now(), faults * syscalls.linuxPageFault()) - ctx.now();
    } else {
      throw new UnsupportedOperationException("Linux CPU " + cpu + ": " + op.getClass().getSimpleName()
          + " operations are not modelled yet");
    }
    ctx.send(ctx.self(), delay, 0, new Step(++token));
  }

  /** How long each computation took, noise included. */
  public LatencyLog computeTimes() {
    return computeTimes;
  }

  /** Units of work done in each FTQ quantum, in order. */
  public LatencyLog ftqCounts() {
    return ftqCounts;
  }

  /** Time noise took from what ran here. */
  public long stolenNs() {
    return noise.stolen();
  }

  /** Per syscall name, the latencies of the calls made here. */
  public Map<String, LatencyLog> latencies() {
    return latencies;
  }

  /** What the program's /proc and /sys reads show: its pid, the machine's CPUs and memory. */
  LinuxCpu withView(int pid, int machineCpus, long memoryBytes) {
    this.pid = pid;
    this.machineCpus = machineCpus;
    this.memoryBytes = memoryBytes;
    return this;
  }

  /**
   * open and openat return the lowest free descriptor from 3; a read of one open on a /proc or /sys
   * file gets Linux's view of it; close frees the descriptor. A call known to fail changes nothing.
   */
  private void onDescriptorCall(Op.Syscall sc) {
    if (sc.args().fails()) {
      return;
    }
    if (FileDescriptors.opens(sc.number())) {
      fds.open(ProcView.lookup(sc.args().path(), pid));
    } else if (sc.number() == FileDescriptors.CLOSE) {
      fds.close(sc.args().fd());
    } else if (sc.number() == FileDescriptors.READ) {
      FileDescriptors.Open file = fds.get(sc.args().fd());
      if (file != null && file.isView()) {
        viewReads++;
        viewBytes += file.read(sc.args().size(), view(file.file()).length());
      }
    }
  }

  /** Linux's view of a /proc or /sys file for this CPU's program, as it stands now. */
  public String view(ProcView.File file) {
    long resident = mapped.total();
    return ProcView.render(file, new ProcView.Snapshot(pid, 1, machineCpus, mapped.ranges(), 0, 0,
        resident, memoryBytes, Math.max(0, memoryBytes - resident)));
  }

  /** Reads of /proc and /sys files, and the bytes they returned. */
  public long viewReads() {
    return viewReads;
  }

  public long viewBytes() {
    return viewBytes;
  }

  /** Pages faulted in on first touch. */
  public long pageFaults() {
    return pageFaults;
  }

  public int exitStatus() {
    return exitStatus;
  }

  public long exitTime() {
    return exitTime;
  }
}
