package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.linux.LinuxService;
import io.mcksim.linux.Mcctrl;
import io.mcksim.linux.ProxyProcess;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.MemoryPartition;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Access;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault entry points of the real entities, each struck from outside while a node runs: what the
 * real system does follows through the real paths (mcctrl, the proxy, the process, the partition).
 */
class CrashHooksTest {

  private static final Scenario S = new ScenarioLoader().defaults();
  private static final long END = 1_000_000_000L;
  /** mcexec's launch is over and the threads run (it takes about 2 ms). */
  private static final long LAUNCHED = 2_100_000;

  /** A node whose McKernel CPUs are 4.., its Linux CPUs 0-3 (where the proxies' workers run). */
  private static HybridModel node(int cpus, List<HybridModel.Process> processes) {
    return new HybridModel(IntStream.range(4, 4 + cpus).boxed().toList(), "", processes,
        SyscallTable.defaultTable(), S.ikc(), S.offload(), S.syscalls(), S.remoteFault(), S.mckernel(), S.launch(), 1)
        .withLinuxCpus(new int[] {0, 1, 2, 3});
  }

  /** 50 iterations of 10 us of compute and one offloaded write. */
  private static Program writer() {
    return Program.named("writer").repeat(50, b -> b.compute(10_000)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))).exit(0).build();
  }

  @Test
  void aPanicStopsItsCpuForGoodWhileTheOtherCpusAndLinuxGoOn() {
    HybridModel m = node(2, List.of(new HybridModel.Process(writer(), List.of(0), 0),
        new HybridModel.Process(writer(), List.of(1), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(LAUNCHED + 100_000);
    run.inject(m.cpuEntity(0), 0, new McKernelCpu.Panic());
    run.advanceTo(END);
    assertThat(m.cpu(0).stopped()).isTrue();
    assertThat(m.cpu(0).threads().get(0).exitStatus()).as("its thread never ends").isEqualTo(-1);
    assertThat(m.proxy(0).exitTime()).as("its proxy waits in mcctrl until someone kills it").isEqualTo(-1);
    assertThat(m.cpu(1).stopped()).isFalse();
    assertThat(m.cpu(1).threads().get(0).exitStatus()).isZero();
    assertThat(m.proxy(1).exitStatus()).isZero();
  }

  @Test
  void aHaltedCpuTakesNothingMoreAndPacketsThatStillReachItAreCountedAsArrived() {
    HybridModel m = node(1, List.of(new HybridModel.Process(writer(), List.of(0), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(LAUNCHED + 100_000);
    run.inject(m.cpuEntity(0), 0, new McKernelCpu.Halt());
    run.advanceTo(END);
    assertThat(m.cpu(0).stopped()).isTrue();
    assertThat(m.cpu(0).ikcArrivals()).isGreaterThanOrEqualTo(m.cpu(0).packetsWhileStopped());
    assertThat(m.cpu(0).threads().get(0).exitStatus()).isEqualTo(-1);
  }

  @Test
  void mcexecKilledMidCallEndsTheCallWithErestartsysAndMcKernelDestroysTheWholeProcess() {
    // two threads: one in an offloaded call when the kill comes, one computing
    Program longCompute = Program.named("computer").compute(5_000_000).exit(0).build();
    HybridModel m = node(2, List.of(new HybridModel.Process(writer(), List.of(0, 1), 0,
        HybridModel.DEFAULT_DATA_BYTES, List.of(writer(), longCompute))));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(LAUNCHED + 200_000);
    run.inject(m.proxyEntity(0), 0, new ProxyProcess.Kill());
    run.advanceTo(END);
    assertThat(m.proxy(0).killedBy()).isEqualTo(ProxyProcess.SIGKILL);
    assertThat(m.cpu(0).threads().get(0).exitSignal()).isEqualTo(ProxyProcess.SIGKILL);
    assertThat(m.cpu(1).threads().get(0).exitSignal()).as("killed while it computed").isEqualTo(ProxyProcess.SIGKILL);
    assertThat(m.cpu(1).threads().get(0).exitTime()).isLessThan(LAUNCHED + 5_000_000);
    assertThat(m.cpu(0).hasLiveThreads()).isFalse();
    assertThat(m.cpu(1).hasLiveThreads()).isFalse();
  }

  @Test
  void aCrashedLinuxServiceFailsTheCallsItGetsWhileDownAndTheThreadGoesOn() {
    HybridModel m = node(1, List.of(new HybridModel.Process(writer(), List.of(0), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(LAUNCHED + 100_000);
    run.inject(m.linuxServiceEntity(0), 0, new LinuxService.Crash(100_000));
    run.advanceTo(END);
    assertThat(m.linuxService(0).crashes()).isEqualTo(1);
    assertThat(m.linuxService(0).refused()).as("about 100 us of calls, one per 14 us").isBetween(5L, 10L);
    assertThat(m.cpu(0).latencies().get("write").count()).isEqualTo(50);
    assertThat(m.cpu(0).threads().get(0).exitStatus()).isZero();
  }

  @Test
  void aCrashFailsTheCallsTheServiceHeldAndTheirLateEndIsTakenForNoLaterCall() {
    HybridModel m = node(1, List.of(new HybridModel.Process(writer(), List.of(0), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(LAUNCHED + 100_000);
    // on to an instant where the worker's CPU holds a job that ends well after it
    while (m.linuxService(0).holding(run.now() + 10 * LinuxService.HOP) == 0) {
      run.advanceTo(run.now() + 100);
    }
    run.inject(m.linuxServiceEntity(0), 0, new LinuxService.Crash(1));
    run.advanceTo(END);
    LinuxService service = m.linuxService(0);
    assertThat(service.failedHeld()).as("the job it held").isEqualTo(1);
    long failed = service.failedHeld() + service.refused();
    assertThat(m.proxy(0).served()).as("every call but the failed one served once").isEqualTo(50 - failed);
    assertThat(m.cpu(0).latencies().get("write").count()).isEqualTo(50);
    assertThat(m.cpu(0).threads().get(0).exitStatus()).isZero();
  }

  /**
   * The proxy's worker is on the way into mcctrl with the first write's remote fault (its buffer is
   * McKernel's): the service refuses that step, so mcctrl fails the fault and mcexec's thread takes SIGBUS.
   */
  @ParameterizedTest(name = "the service crashes {0} ns after the step is handed over")
  @ValueSource(longs = {0, 2})
  void aRemoteFaultWhoseStepTheServiceRefusesFailsInMcctrlWithSigbus(long after) {
    long handedOver = firstRemoteFault();
    HybridModel m = node(1, List.of(new HybridModel.Process(writer(), List.of(0), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(handedOver + after);
    for (int k = 0; k < m.linuxServiceCount(); k++) {
      run.inject(m.linuxServiceEntity(k), 0, new LinuxService.Crash(1_000));
    }
    run.advanceTo(END);
    long held = 0;
    for (int k = 0; k < m.linuxServiceCount(); k++) {
      held += m.linuxService(k).failedHeld();
    }
    assertThat(held).as("down when it came (0), or held when the crash came (2)").isEqualTo(after == 0 ? 0 : 1);
    assertThat(m.mcctrl().refusedSteps()).isEqualTo(1);
    assertThat(m.proxy(0).killedBy()).as("SIGBUS").isEqualTo(7);
    assertThat(m.cpu(0).threads().get(0).exitSignal()).isEqualTo(7);
  }

  /** When the writer's proxy hands its first remote fault's step to its Linux CPU (to the nanosecond). */
  private static long firstRemoteFault() {
    return firstRemoteFault(firstRemoteFault(0, 1_000) - 1_000, 1);
  }

  private static long firstRemoteFault(long from, long step) {
    HybridModel m = node(1, List.of(new HybridModel.Process(writer(), List.of(0), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(from);
    while (m.proxy(0).remoteFaults() == 0) {
      assertThat(run.now()).as("the writer makes a remote fault").isLessThan(END);
      run.advanceTo(run.now() + step);
    }
    return run.now();
  }

  @Test
  void linuxGoneDownAnswersNoMoreCallsAndTheMcKernelThreadWaitsForeverOnACpuThatStillRuns() {
    HybridModel m = node(1, List.of(new HybridModel.Process(writer(), List.of(0), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(LAUNCHED + 100_000);
    run.inject(m.mcctrlEntity(), 0, new Mcctrl.Halt());
    for (int k = 0; k < m.linuxServiceCount(); k++) {
      run.inject(m.linuxServiceEntity(k), 0, new LinuxService.Halt());
    }
    run.advanceTo(END);
    assertThat(m.mcctrl().halted()).isTrue();
    long lost = m.mcctrl().lost();
    for (int k = 0; k < m.linuxServiceCount(); k++) {
      assertThat(m.linuxService(k).halted()).isTrue();
      lost += m.linuxService(k).lost();
    }
    assertThat(lost).as("the next write (its request, or its worker's job) reached a Linux that was down")
        .isEqualTo(1);
    assertThat(m.cpu(0).stopped()).isFalse();
    assertThat(m.cpu(0).threads().get(0).exitTime()).as("it waits for its offload forever").isEqualTo(-1);
    assertThat(m.cpu(0).latencies().get("write").count()).as("about 100 us of writes, one per 14 us")
        .isBetween(5L, 10L);
  }

  @Test
  void anExhaustedPartitionRefusesGrantsAndTheProcessDiesOnMcKernelsOutOfMemoryPath() {
    long buffer = 0x7000_0000_0000L;
    long size = 4L << 20;
    Program p = Program.named("allocator").repeat(50, b -> b
        .syscall("mmap", SyscallArgs.region(buffer, size)).touch(buffer, size, Access.WRITE).compute(10_000)
        .syscall("munmap", SyscallArgs.region(buffer, size))).exit(0).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(p, List.of(0), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(LAUNCHED + 100_000);
    run.inject(m.partitionEntity(0), 0, new MemoryPartition.Exhaust(END));
    run.advanceTo(END);
    assertThat(m.partition(0).refused()).isPositive();
    assertThat(m.cpu(0).threads().get(0).exitSignal()).as("SIGKILL").isEqualTo(9);
    assertThat(m.partition(0).free()).as("everything it had back").isEqualTo(HybridModel.DEFAULT_MEMORY);
  }
}
