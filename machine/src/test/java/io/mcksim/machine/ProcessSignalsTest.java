package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.linux.ProxyProcess;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.McProcess;
import io.mcksim.mckernel.MemoryPartition;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Access;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.Signals;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Process-level faults on a McKernel node (issue 20): a signal sent to mcexec from Linux at a given time,
 * whatever the process's threads are doing (computing, or waiting in an offloaded call), and faults
 * several threads take at once. Each ends the way McKernel ends it, with the exit status a shell shows,
 * every thread gone, the process's memory back in its partition and the proxy reaped.
 */
class ProcessSignalsTest {

  private static final Scenario S = new ScenarioLoader().defaults();
  private static final long END = Long.MAX_VALUE / 4;
  /** Four threads, one on each of McKernel CPUs 0-3. */
  private static final List<Integer> FOUR = List.of(0, 1, 2, 3);

  /** A node whose McKernel CPUs are 4-11, its Linux CPUs 0-3 (where the proxies' workers run). */
  private static HybridModel node(List<HybridModel.Process> processes) {
    return new HybridModel(IntStream.range(4, 12).boxed().toList(), "", processes, SyscallTable.defaultTable(),
        S.ikc(), S.offload(), S.syscalls(), S.remoteFault(), S.mckernel(), S.launch(), 1)
        .withLinuxCpus(new int[] {0, 1, 2, 3});
  }

  /** A loop of compute and offloaded writes, long enough to be busy when the signals come. */
  private static Program busy() {
    return Program.named("busy").repeat(2_000, b -> b.compute(5_000)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))).exit(0).build();
  }

  private static RunResult run(HybridModel m) {
    return new SequentialEngine().run(m, RunSpec.until(END, 1));
  }

  /** Every thread of process slot 0 has ended, by signal {@code signal}; its memory is back. */
  private static void endedBy(HybridModel m, int signal, int threads) {
    McProcess p = m.process(0);
    assertThat(p.exited()).as("every thread ended").isTrue();
    assertThat(p.exitSignal()).isEqualTo(signal);
    for (int c = 0; c < threads; c++) {
      McKernelCpu cpu = m.cpu(c);
      assertThat(cpu.hasLiveThreads()).as("CPU %d has no thread left", c).isFalse();
      assertThat(cpu.threads().get(0).exitSignal()).as("thread on CPU %d", c).isEqualTo(signal);
    }
    assertThat(p.heldBytes()).as("the process holds no memory").isZero();
    MemoryPartition part = m.partition(0);
    assertThat(part.free()).as("the partition has all of it back").isEqualTo(part.capacity());
    ProxyProcess proxy = m.proxy(0);
    assertThat(proxy.exitSignal()).isEqualTo(signal);
    assertThat(proxy.exitTime()).as("mcexec exited").isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"SIGTERM", "SIGINT", "SIGUSR1", "SIGQUIT", "SIGSEGV"})
  void aSignalFromLinuxEndsEveryThreadWhateverItDoesWithTheShellsStatus(String name) {
    int signal = Signals.number(name);
    HybridModel m = node(List.of(new HybridModel.Process(busy(), FOUR, 0)
        .withSignals(List.of(new Signals.Timed(5_000_000, signal)))));
    run(m);
    endedBy(m, signal, 4);
    assertThat(m.proxy(0).signalsRelayed()).as("mcexec relayed it to McKernel").isEqualTo(1);
    assertThat(m.proxy(0).signalsAcked()).isEqualTo(1);
    assertThat(Signals.shellStatus(signal)).isEqualTo(128 + signal);
    long at = m.cpu(0).threads().get(0).exitTime();
    assertThat(at).as("ended just after the signal, not at the loop's end").isBetween(5_000_000L, 5_100_000L);
  }

  @Test
  void sigkillFromLinuxKillsMcexecWhoseReleaseHasMcKernelDestroyTheProcess() {
    HybridModel m = node(List.of(new HybridModel.Process(busy(), FOUR, 0)
        .withSignals(List.of(new Signals.Timed(5_000_000, Signals.SIGKILL)))));
    run(m);
    endedBy(m, Signals.SIGKILL, 4);
    assertThat(m.process(0).hostGone()).as("CLEANUP_PROCESS reached McKernel").isTrue();
    assertThat(m.proxy(0).releaseTimedOut()).isFalse();
    assertThat(m.proxy(0).signalsRelayed()).as("SIGKILL cannot be caught, so nothing is relayed").isZero();
  }

  @Test
  void aSignalIgnoredByDefaultChangesNothing() {
    HybridModel quiet = node(List.of(new HybridModel.Process(busy(), FOUR, 0)));
    HybridModel m = node(List.of(new HybridModel.Process(busy(), FOUR, 0)
        .withSignals(List.of(new Signals.Timed(5_000_000, Signals.number("SIGCHLD"))))));
    run(quiet);
    run(m);
    assertThat(m.process(0).exitSignal()).isZero();
    assertThat(m.process(0).exitStatus()).isZero();
    assertThat(m.proxy(0).signalsAcked()).isEqualTo(1);
    assertThat(m.cpu(0).threads().get(0).exitTime()).as("only the relay's interrupt on CPU 0 costs time")
        .isGreaterThanOrEqualTo(quiet.cpu(0).threads().get(0).exitTime());
    assertThat(m.process(0).heldBytes()).isZero();
  }

  @Test
  void segmentationFaultsInSeveralThreadsAtOnceEndTheProcessOnceWithSigsegv() {
    // every thread computes the same, then loads from an address no area covers, at the same moment
    Program wild = Program.named("wild").compute(100_000).touch(0x700000000000L, 8, Access.READ).exit(0).build();
    HybridModel m = node(List.of(new HybridModel.Process(wild, FOUR, 0)));
    run(m);
    endedBy(m, 11, 4);
    assertThat(Signals.shellStatus(11)).isEqualTo(139);
    // McKernel's page-fault handler logs the fault it could not resolve, on the CPU that took it
    List<McKernelCpu.KernelLine> log = m.cpu(0).kmsg();
    assertThat(log).isNotEmpty();
    assertThat(log.get(0).text()).startsWith("[  0]: page fault handler: TID " + m.cpu(0).threads().get(0).tid()
        + " faulted at 0x700000000000");
    assertThat(log).anyMatch(l -> l.text().contains("no memory range of the process; SIGSEGV"));
    assertThat(Signals.dumpsCore(11)).isTrue();
  }

  @Test
  void manyThreadsEndingAtTheSameMomentEndTheProcessOnceWithTheMainThreadsStatus() {
    Program same = Program.named("same").compute(100_000).exit(7).build();
    HybridModel m = node(List.of(new HybridModel.Process(same, List.of(0, 1, 2, 3, 4, 5, 6, 7), 0)));
    run(m);
    assertThat(m.process(0).exited()).isTrue();
    assertThat(m.process(0).exitSignal()).isZero();
    assertThat(m.proxy(0).exitStatus()).isEqualTo(7);
    assertThat(m.process(0).heldBytes()).isZero();
    assertThat(m.partition(0).free()).isEqualTo(m.partition(0).capacity());
    for (int c = 0; c < 8; c++) {
      assertThat(m.cpu(c).hasLiveThreads()).isFalse();
    }
  }

  @Test
  void timedSignalsGiveOneDigestOnTheSequentialAndTheActorEngine() {
    List<HybridModel.Process> ps = List.of(new HybridModel.Process(busy(), FOUR, 0)
        .withSignals(List.of(new Signals.Timed(3_000_000, Signals.number("SIGCHLD")),
            new Signals.Timed(5_000_000, Signals.number("SIGTERM")))));
    String seq = run(node(ps)).digest();
    assertThat(new ActorEngine().run(node(ps), RunSpec.until(END, 2)).digest()).isEqualTo(seq);
  }

  /** Every CPU idle, every used slot's process ended with its memory back, its mcexec exited. */
  private static void settled(HybridModel m, int processes) {
    for (int c = 0; c < 8; c++) {
      assertThat(m.cpu(c).hasLiveThreads()).as("CPU %d has no thread left", c).isFalse();
    }
    for (int p = 0; p < processes; p++) {
      assertThat(m.process(p).exited()).as("process %d ended", p).isTrue();
      assertThat(m.process(p).heldBytes()).as("process %d holds no memory", p).isZero();
      assertThat(m.proxy(p).exitTime()).as("mcexec %d exited", p).isPositive();
      assertThat(m.proxy(p).idleWorkers()).as("mcexec %d's workers idle", p).isEqualTo(m.proxy(p).workers());
    }
    assertThat(m.partition(0).free()).isEqualTo(m.partition(0).capacity());
  }

  @Test
  void aSignalDuringForkEndsTheParentWhileTheChildMcKernelMadeLivesOn() {
    // a sibling thread sends the process SIGTERM at a moment swept across the parent's fork: whenever it
    // comes, every process ends with a status and nothing is left; some moments fall inside the fork
    // (the parent dies before the fork returns, the child McKernel had made runs on by itself)
    int term = Signals.number("SIGTERM");
    Program child = Program.named("child").compute(50_000).exit(6).build();
    int duringFork = 0;
    for (long d = 0; d <= 4_000; d += 100) {
      Program killer = Program.named("killer").compute(100_000 + d).kill("self", term).build();
      Program parent = Program.named("parent").spawnThread(killer).compute(100_000).fork(child)
          .compute(1_000_000).exit(0).build();
      HybridModel m = node(List.of(new HybridModel.Process(parent, List.of(0), 0)));
      run(m);
      McKernelCpu.McThread p = m.cpu(0).threads().get(0);
      assertThat(p.exitSignal()).as("d=%d: the parent died of the signal", d).isEqualTo(term);
      boolean forked = m.process(1).exited() && m.proxy(1).exitTime() > 0;
      settled(m, forked ? 2 : 1);
      if (forked) {
        assertThat(m.proxy(1).exitStatus()).as("d=%d: the child ended normally", d).isEqualTo(6);
        if (p.lastForkResult() == 0) {
          duringFork++;
        }
      }
    }
    assertThat(duringFork).as("moments that fell inside the fork").isPositive();
  }

  @Test
  void aForkedChildInheritsItsParentsSignalActions() {
    int usr1 = Signals.number("SIGUSR1");
    Program handler = Program.named("h").exit(8).build();
    Program child = Program.named("child").compute(100_000).kill("self", usr1).compute(1_000).exit(0).build();
    Program parent = Program.named("parent").onSignal(usr1, handler).fork(child).compute(500_000).exit(0).build();
    HybridModel m = node(List.of(new HybridModel.Process(parent, List.of(0), 0)));
    run(m);
    settled(m, 2);
    assertThat(m.proxy(1).exitStatus()).as("the child ran the inherited handler").isEqualTo(8);
  }

  @Test
  void exitGroupEndsEveryThreadWhateverItDoesWithTheGroupsStatus() {
    // siblings computing, in an offloaded call, and waiting on a futex when the main thread calls exit_group
    Program computing = Program.named("computing").compute(50_000_000).exit(0).build();
    Program offloading = Program.named("offloading").repeat(100_000, b -> b.syscall("write",
        SyscallArgs.fd(1).size(4096).buffer(0x10000))).exit(0).build();
    Program waiting = Program.named("waiting").futexWait(0x20000).exit(0).build();
    Program main = Program.named("main").spawnThread(computing).spawnThread(offloading).spawnThread(waiting)
        .compute(300_000).exitGroup(42).build();
    HybridModel m = node(List.of(new HybridModel.Process(main, List.of(0), 0)));
    run(m);
    settled(m, 1);
    assertThat(m.process(0).exitStatus()).isEqualTo(42);
    assertThat(m.process(0).exitSignal()).isZero();
    assertThat(m.proxy(0).exitStatus()).isEqualTo(42);
    long t0 = m.cpu(0).threads().get(0).startTime();
    for (int c = 0; c < 8; c++) {
      for (McKernelCpu.McThread t : m.cpu(c).spawned()) {
        assertThat(t.exitSignal()).as("sibling %d killed", t.tid()).isEqualTo(Signals.SIGKILL);
        assertThat(t.exitTime() - t0).as("at the exit_group, not later").isLessThan(400_000L);
      }
    }
  }

  @Test
  void segmentationFaultsInSeveralThreadsAtOnceLogOneEntryPerFaultAndOneExitStatus() {
    Program wild = Program.named("wild").compute(100_000).touch(0x700000000000L, 8, Access.READ).exit(0).build();
    HybridModel m = node(List.of(new HybridModel.Process(wild, FOUR, 0)));
    run(m);
    endedBy(m, 11, 4);
    for (int c = 0; c < 4; c++) {
      List<McKernelCpu.KernelLine> log = m.cpu(c).kmsg();
      int tid = m.cpu(c).threads().get(0).tid();
      assertThat(log.stream().filter(l -> l.text().contains("page fault handler: TID " + tid)).count())
          .as("CPU %d logged its thread's fault once", c).isEqualTo(1);
    }
    assertThat(m.proxy(0).exitSignal()).isEqualTo(11);
  }

  @Test
  void aStackOverflowFaultsBelowTheStackAndEndsTheProcessWithSigsegv() {
    // the thread uses its stack (demand-paged from the top of user space), then runs past its end
    Program deep = Program.named("deep").touch(McProcess.STACK_END - 64 * 1024, 64 * 1024, Access.WRITE)
        .touch(McProcess.STACK_START, 4096, Access.WRITE).compute(10_000)
        .touch(McProcess.STACK_START - 4096, 8, Access.WRITE).exit(0).build();
    HybridModel m = node(List.of(new HybridModel.Process(deep, List.of(0), 0)));
    run(m);
    endedBy(m, 11, 1);
    // the stack is 2 MiB-aligned: its top 64 KiB and its lowest page each fault in a 2 MiB page
    assertThat(m.process(0).pageFaults()).as("the stack's pages faulted in").isEqualTo(2);
    assertThat(m.process(0).faultsBySize()).containsExactly(0, 2, 0);
    List<McKernelCpu.KernelLine> log = m.cpu(0).kmsg();
    assertThat(log).hasSize(2);
    assertThat(log.get(0).text()).contains(String.format("faulted at 0x%x", McProcess.STACK_START - 4096));
    assertThat(log.get(1).text()).contains("no memory range of the process; SIGSEGV");
  }
}
