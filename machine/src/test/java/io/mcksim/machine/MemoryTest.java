package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.ikc.PacketType;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.McProcess;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Access;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** McKernel memory: demand faults, premapped mmap, anon_on_demand, out of memory, SIGSEGV, unmap. */
class MemoryTest {

  private static final Scenario S = new ScenarioLoader().defaults();
  private static final long END = Long.MAX_VALUE / 4;
  private static final long MIB = 1L << 20;
  private static final long FAULT = S.mckernel().pageFault();
  /** McKernel's costs with 4 KiB pages only: the NUMA test's times count 4 KiB faults. */
  private static final io.mcksim.config.McKernelCosts FOUR_KIB = new io.mcksim.config.McKernelCosts(
      S.mckernel().tickInterval(), S.mckernel().tickCost(), FAULT, S.mckernel().clockMhz());

  private static HybridModel node(long memory, boolean anonOnDemand, Program... programs) {
    List<HybridModel.Process> ps = new java.util.ArrayList<>();
    for (int i = 0; i < programs.length; i++) {
      ps.add(new HybridModel.Process(programs[i], List.of(i), 0));
    }
    return new HybridModel(List.of(4, 5, 6, 7).subList(0, programs.length), "", ps, 4,
        new long[] {memory}, anonOnDemand, SyscallTable.defaultTable(), S.ikc(), S.offload(),
        S.syscalls(), S.remoteFault(), S.mckernel(), S.launch(), 1);
  }

  private static McKernelCpu.McThread thread(HybridModel m, int cpu) {
    return m.cpu(cpu).threads().get(0);
  }

  @Test
  void touchingUnmappedPagesCostsOneFaultEachAndTouchingThemAgainNothing() {
    Program p = Program.named("toucher")
        .touch(McProcess.DATA_START, 10 * 4096, Access.WRITE)
        .touch(McProcess.DATA_START, 10 * 4096, Access.READ)
        .exit(0).build();
    HybridModel m = node(256 * MIB, false, p);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread t = thread(m, 0);
    assertThat(FAULT).isEqualTo(1_000);
    assertThat(t.exitTime() - t.startTime()).isEqualTo(10 * FAULT);
    assertThat(m.cpu(0).pageFaults()).isEqualTo(10);
    assertThat(m.process(0).pageFaults()).isEqualTo(10);
  }

  @Test
  void anonymousMmapIsPremappedWhileContiguousMemoryLasts() {
    long region = 8 * MIB;
    Program p = Program.named("premapped")
        .syscall("mmap", SyscallArgs.region(0x4000_0000L, region))
        .touch(0x4000_0000L, region, Access.WRITE)
        .exit(0).build();
    HybridModel m = node(256 * MIB, false, p);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread t = thread(m, 0);
    assertThat(m.cpu(0).pageFaults()).isZero();
    assertThat(t.exitTime() - t.startTime()).isEqualTo(S.syscalls().local("mmap"));
    assertThat(t.exitStatus()).isZero();
  }

  /** With anon_on_demand the same mmap is faulted in on touch: its four 2 MiB pages (1 GiB is too big). */
  @Test
  void withAnonOnDemandTheSameMmapIsFaultedInPageByPage() {
    long region = 8 * MIB;
    Program p = Program.named("on-demand")
        .syscall("mmap", SyscallArgs.region(0x4000_0000L, region))
        .touch(0x4000_0000L, region, Access.WRITE)
        .exit(0).build();
    HybridModel m = node(256 * MIB, true, p);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread t = thread(m, 0);
    long large = region / (2 * MIB);
    assertThat(m.cpu(0).pageFaults()).isEqualTo(large);
    assertThat(m.process(0).faultsBySize()).containsExactly(0, large, 0);
    assertThat(t.exitTime() - t.startTime())
        .isEqualTo(S.syscalls().local("mmap") + large * (FAULT + 511 * S.mckernel().pageClear()));
  }

  @Test
  void runningOutOfMemoryShowsUpAtFaultTimeKillsTheProcessAndIsAnnounced() {
    // 128 MiB: the process starts with 16 MiB, a 96 MiB mmap is premapped (16 MiB stay contiguous),
    // a 32 MiB mmap finds too little contiguous memory and is demand-paged; touching it runs out
    Program p = Program.named("greedy")
        .syscall("mmap", SyscallArgs.region(0x4000_0000L, 96 * MIB))
        .syscall("mmap", SyscallArgs.region(0x8000_0000L, 32 * MIB))
        .touch(0x8000_0000L, 32 * MIB, Access.WRITE)
        .exit(0).build();
    HybridModel m = node(128 * MIB, false, p);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread t = thread(m, 0);
    assertThat(t.exitSignal()).isEqualTo(9);
    assertThat(m.proxy(0).exitSignal()).isEqualTo(9);
    assertThat(m.mcctrl().notices(PacketType.Notice.OUT_OF_MEMORY)).isEqualTo(1);
    assertThat(m.process(0).premappedBytes()).isZero(); // released at exit
    assertThat(m.partition(0).free()).isEqualTo(128 * MIB); // every byte back
  }

  @Test
  void touchingOutsideEveryAreaIsSigsegvAndAnUnmappedRangeIsForgotten() {
    Program p = Program.named("unmapper")
        .syscall("mmap", SyscallArgs.region(0x4000_0000L, MIB))
        .touch(0x4000_0000L, 4096, Access.WRITE)
        .syscall("munmap", SyscallArgs.region(0x4000_0000L, MIB))
        .touch(0x4000_0000L, 4096, Access.READ)
        .exit(0).build();
    HybridModel m = node(256 * MIB, false, p);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(thread(m, 0).exitSignal()).isEqualTo(11);
    assertThat(m.partition(0).free()).isEqualTo(256 * MIB);
  }

  @Test
  void premappingUsesLargePagesWhereAlignmentAllows() {
    // 1 GiB-aligned: 1 x 1 GiB + 3 x 2 MiB + 16 x 4 KiB
    long start = 0x4000_0000L;
    long length = (1L << 30) + 3 * (2 * MIB) + 16 * 4096;
    Program p = Program.named("large").syscall("mmap", SyscallArgs.region(start, length))
        .compute(1_000_000).exit(0).build();
    HybridModel m = node(2L << 30, false, p);
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(3_000_000); // launched and mapped, not yet exited
    assertThat(m.process(0).premappedPages()).containsExactly(16, 3, 1);
  }

  @Test
  void brkGrowsTheHeapAndNeverShrinksIt() {
    long heap = McProcess.DATA_START + HybridModel.DEFAULT_DATA_BYTES;
    Program p = Program.named("heap")
        .syscall("brk", SyscallArgs.none().address(heap + 8 * MIB))
        .syscall("brk", SyscallArgs.none().address(heap + 4 * MIB)) // ignored
        .touch(heap + 6 * MIB, 4096, Access.WRITE) // still inside the heap
        .exit(0).build();
    HybridModel m = node(256 * MIB, false, p);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(thread(m, 0).exitSignal()).isZero();
    assertThat(m.cpu(0).pageFaults()).isEqualTo(1);
    assertThat(m.process(0).heapEnd()).isEqualTo(heap + 8 * MIB);
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 4})
  void memoryBehaviourIsTheSameOnEveryEngineAndThreadCount(int threads) {
    Program a = Program.named("a").repeat(20, b -> b.touch(McProcess.DATA_START, 64 * 4096, Access.WRITE)
        .syscall("mmap", SyscallArgs.region(0x4000_0000L, 4 * MIB))
        .touch(0x4000_0000L, 4 * MIB, Access.WRITE)
        .syscall("munmap", SyscallArgs.region(0x4000_0000L, 4 * MIB))).exit(0).build();
    Program b = Program.named("b").syscall("mmap", SyscallArgs.region(0x8000_0000L, 64 * MIB))
        .touch(0x8000_0000L, 64 * MIB, Access.WRITE).exit(1).build();
    HybridModel seq = node(64 * MIB, true, a, b);
    RunResult r1 = new SequentialEngine().run(seq, RunSpec.until(END, 1));
    HybridModel act = node(64 * MIB, true, a, b);
    RunResult r2 = new ActorEngine().run(act, RunSpec.until(END, threads));
    assertThat(r2.digest()).isEqualTo(r1.digest());
    for (int cpu = 0; cpu < 2; cpu++) {
      assertThat(thread(act, cpu).exitSignal()).isEqualTo(thread(seq, cpu).exitSignal());
      assertThat(act.cpu(cpu).pageFaults()).isEqualTo(seq.cpu(cpu).pageFaults());
    }
  }

  @Test
  void aProcessTakesMemoryFromItsCpusNumaNodeFirstThenFromTheOthersAndGivesEachBackItsOwn() {
    // NUMA 0 has 64 MiB, NUMA 1 has 32 MiB; the process runs on a CPU of NUMA 1 and touches 48 MiB
    Program p = Program.named("big").syscall("mmap", SyscallArgs.region(0x4000_0000L, 48 * MIB))
        .touch(0x4000_0000L, 48 * MIB, Access.WRITE).compute(10_000_000).exit(0).build();
    java.util.function.Supplier<HybridModel> node = () -> new HybridModel(List.of(4), "",
        List.of(new HybridModel.Process(p, List.of(0), 0)), 4, new long[] {64 * MIB, 32 * MIB}, true,
        SyscallTable.defaultTable(), S.ikc(), S.offload(), S.syscalls(), S.remoteFault(), FOUR_KIB,
        S.launch(), 1);
    HybridModel m = node.get().withCpuNuma(new int[] {1});
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(thread0Busy());
    // NUMA 1 gave the first grant; the touch's refill (48 MiB less that, plus the refill margin) is
    // more than NUMA 1 has left, so NUMA 0 gave it
    assertThat(32 * MIB - m.partition(1).free()).isEqualTo(McProcess.INITIAL_GRANT);
    assertThat(64 * MIB - m.partition(0).free())
        .isEqualTo(48 * MIB - McProcess.INITIAL_GRANT + McProcess.REFILL);
    run.advanceTo(Long.MAX_VALUE / 4);
    assertThat(thread(m, 0).exitStatus()).isZero();
    assertThat(m.partition(0).free()).isEqualTo(64 * MIB);
    assertThat(m.partition(1).free()).isEqualTo(32 * MIB);

    // without the CPUs' NUMA nodes, NUMA 0 comes first and has room for it all
    HybridModel plain = node.get();
    SequentialEngine.Session other = SequentialEngine.open(plain);
    other.advanceTo(thread0Busy());
    assertThat(plain.partition(1).free()).isEqualTo(32 * MIB);
    assertThat(64 * MIB - plain.partition(0).free()).isEqualTo(48 * MIB + McProcess.REFILL);
  }

  /** A time by which the process above has touched its memory and computes: launch, then 12,288 faults. */
  private static long thread0Busy() {
    return 20_000_000;
  }
}
