package io.mcksim.machine.chaos;

import io.mcksim.config.ChaosSettings;
import io.mcksim.machine.HybridModel;
import io.mcksim.mckernel.McProcess;
import io.mcksim.workloads.Access;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic chaos job ({@code workload.type} left at its default), a McKernel program: one process,
 * thread t on McKernel CPU t. Each iteration a thread maps its buffer ({@code mmap}: premapped from the partition unless {@code anon_on_demand}), touches it,
 * computes {@code quantum}, makes one call McKernel offloads ({@value #CALL}, served on Linux in
 * {@code costs.syscall.linux.pwrite64}, as every one) and unmaps the buffer, giving its memory back. Every
 * {@code checkpoint-interval} iterations it writes its checkpoint ({@code checkpoint-cost} of its CPU)
 * and says so on its stdout (an offloaded {@code write} to descriptor 1, which the job manager reads).
 *
 * <p>A thread's program is a row of top-level steps: per checkpoint segment, the segment's iterations,
 * the checkpoint, the line on stdout. A process restarted from the checkpoint after iteration c starts
 * at step {@link #startOf}(c): mcexec's argument.
 */
final class CheckpointJob implements ChaosJob {

  /** The offloaded call of every iteration. */
  static final String CALL = "pwrite64";
  /** Each thread's buffer, mapped and unmapped every iteration. */
  static final long BUFFER = 1L << 20;
  /** Where thread 0's buffer lies; thread t's {@link #STRIDE} further per t. */
  static final long BUFFER_BASE = 0x7000_0000_0000L;
  static final long STRIDE = 16L << 20;
  /** Top-level steps of one checkpoint segment. */
  private static final int STEPS = 3;

  private final ChaosSettings.Job job;
  private final int threads;

  CheckpointJob(ChaosSettings.Job job, int threads) {
    this.job = job;
    this.threads = threads;
  }

  /** One launch of the job, one process: a thread on each of McKernel CPUs 0 to threads - 1. */
  @Override
  public List<HybridModel.Process> launch() {
    List<Integer> cpus = new ArrayList<>();
    List<Program> programs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      cpus.add(t);
      programs.add(thread(t));
    }
    return List.of(new HybridModel.Process(programs.get(0), cpus, 0, HybridModel.DEFAULT_DATA_BYTES, programs));
  }

  @Override
  public int cpus() {
    return threads;
  }

  @Override
  public int checkpointInterval() {
    return job.checkpointInterval();
  }

  @Override
  public String describe() {
    return "job of " + threads + " threads x " + job.iterations() + " iterations";
  }

  /** The program of thread {@code t}. */
  Program thread(int t) {
    long buffer = BUFFER_BASE + t * STRIDE;
    List<Op> body = List.of(
        new Op.Syscall("mmap", SyscallArgs.region(buffer, BUFFER)),
        new Op.Touch(buffer, BUFFER, Access.WRITE),
        new Op.Compute(job.quantumNs()),
        new Op.Syscall(CALL, SyscallArgs.fd(3).buffer(buffer).size(4096)),
        new Op.Syscall("munmap", SyscallArgs.region(buffer, BUFFER)));
    List<Op> ops = new ArrayList<>();
    int every = job.checkpointInterval();
    int done = 0;
    while (done < job.iterations()) {
      int n = every > 0 ? Math.min(every, job.iterations() - done) : job.iterations();
      ops.add(new Op.Repeat(n, body));
      done += n;
      if (every > 0 && done < job.iterations()) {
        ops.add(new Op.Compute(job.checkpointNs()));
        // the line comes from the data area: the buffer is unmapped by now (munmap clears the proxy's
        // mapping of it too, so a write from it would be a remote fault McKernel refuses)
        ops.add(new Op.Syscall("write", SyscallArgs.fd(1).buffer(McProcess.DATA_START).size(64)));
      }
    }
    return new Program("chaos-job-" + t, ops);
  }

  /** The first step of a process restarted after iteration {@code from} (a checkpoint's). */
  @Override
  public int startOf(int from) {
    int every = job.checkpointInterval();
    return every > 0 ? STEPS * (from / every) : 0;
  }

}
