package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.McKernelCosts;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
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

/**
 * Demand paging in McKernel's page sizes (4 KiB, 2 MiB, 1 GiB up to {@code costs.mckernel.largest-page}):
 * a fault maps the largest page whose aligned extent lies wholly in the area and holds nothing mapped,
 * and costs {@code page-fault} plus {@code page-clear} per further 4 KiB; the proxy takes a remote page
 * fault only for a page McKernel's page table does not hold. Counts and times are closed forms.
 */
class LargePagesTest {

  static final Scenario S = new ScenarioLoader().defaults();
  static final long END = Long.MAX_VALUE / 4;
  static final long KIB4 = 4096;
  static final long MIB2 = 2L << 20;
  static final long GIB = 1L << 30;
  static final long FAULT = S.mckernel().pageFault();
  static final long CLEAR = S.mckernel().pageClear();

  static McKernelCosts largest(long bytes) {
    McKernelCosts c = S.mckernel();
    return new McKernelCosts(c.tickInterval(), c.tickCost(), c.pageFault(), c.clockMhz(), bytes, c.pageClear());
  }

  static HybridModel run(long largest, long memory, boolean anonOnDemand, Program p) {
    HybridModel m = new HybridModel(List.of(4), "", List.of(new HybridModel.Process(p, List.of(0), 0)), 4,
        new long[] {memory}, anonOnDemand, SyscallTable.defaultTable(), S.ikc(), S.offload(), S.syscalls(),
        S.remoteFault(), largest(largest), S.launch(), 1);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    return m;
  }

  static long elapsed(HybridModel m) {
    McKernelCpu.McThread t = m.cpu(0).threads().get(0);
    assertThat(t.exitStatus()).isZero();
    return t.exitTime() - t.startTime();
  }

  @Test
  void theDefaultsAreCitedAndSane() {
    assertThat(S.mckernel().largestPage()).isEqualTo(GIB);
    assertThat(FAULT).isEqualTo(1_000);
    assertThat(CLEAR).isEqualTo(400);
  }

  /**
   * The data area [0x10000, 0x10000 + 64 MiB): its 2 MiB-aligned middle [2 MiB, 64 MiB) is 31 large
   * pages; the 496 pages before it and the 16 after are 4 KiB pages (no 1 GiB page fits).
   */
  @ParameterizedTest
  @ValueSource(longs = {2L << 20, 1L << 30})
  void theDataAreaFaultsInTheLargestPagesItsAlignmentAllows(long largest) {
    long bytes = McProcess.DEFAULT_DATA_BYTES;
    HybridModel m = run(largest, GIB, false, Program.named("p")
        .touch(McProcess.DATA_START, bytes, Access.WRITE).exit(0).build());
    long small = (MIB2 - McProcess.DATA_START) / KIB4 + McProcess.DATA_START / KIB4;
    long large = (bytes + McProcess.DATA_START - MIB2) / MIB2;
    assertThat(small).isEqualTo(512);
    assertThat(large).isEqualTo(31);
    assertThat(m.process(0).faultsBySize()).containsExactly(small, large, 0);
    assertThat(m.process(0).pageFaults()).isEqualTo(small + large);
    assertThat(m.cpu(0).pageFaults()).isEqualTo(small + large);
    assertThat(elapsed(m)).isEqualTo(small * FAULT + large * (FAULT + 511 * CLEAR));
  }

  @Test
  void withFourKibPagesOnlyEveryPageIsAFault() {
    long bytes = McProcess.DEFAULT_DATA_BYTES;
    HybridModel m = run(KIB4, GIB, false, Program.named("p")
        .touch(McProcess.DATA_START, bytes, Access.WRITE).exit(0).build());
    assertThat(m.process(0).faultsBySize()).containsExactly(bytes / KIB4, 0, 0);
    assertThat(elapsed(m)).isEqualTo(bytes / KIB4 * FAULT);
  }

  /**
   * An anonymous mapping of 1 GiB + 4 MiB at 1 GiB, demand-paged (anon_on_demand): a touch of its first
   * byte maps one 1 GiB page, a touch past it a 2 MiB page, a touch in the same 2 MiB page nothing more.
   */
  @Test
  void aGibAlignedMappingFaultsOneGibPage() {
    HybridModel m = run(GIB, 4 * GIB, true, Program.named("p")
        .syscall("mmap", SyscallArgs.region(GIB, GIB + 4 * (1L << 20)).flags(0x22))
        .touch(GIB, 1, Access.WRITE)
        .touch(2 * GIB + 8192, 1, Access.WRITE)
        .touch(2 * GIB + 4096, 1, Access.READ)
        .touch(GIB + 12345, 100, Access.READ)
        .exit(0).build());
    assertThat(m.process(0).faultsBySize()).containsExactly(0, 1, 1);
    assertThat(elapsed(m)).isEqualTo(S.syscalls().local("mmap") + FAULT + (GIB / KIB4 - 1) * CLEAR + FAULT
        + 511 * CLEAR);
  }

  /** A file's mapping takes 4 KiB pages (McKernel maps files at PAGE_SHIFT). */
  @Test
  void aFileMappingFaultsFourKibPages() {
    long region = 4L << 20;
    HybridModel m = run(GIB, GIB, true, Program.named("p")
        .syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/data/in"))
        .syscall("mmap", new SyscallArgs(3, 0, 0x02, GIB, region, 0))
        .touch(GIB, region, Access.READ)
        .exit(0).build());
    assertThat(m.process(0).faultsBySize()).containsExactly(region / KIB4, 0, 0);
  }

  /**
   * The proxy's buffer pages that McKernel maps already are mirrored from its page table, without a
   * remote fault: a write of 64 KiB from a touched large page costs the offload and 16 local maps.
   */
  @Test
  void pagesMcKernelHoldsNeedNoRemoteFault() {
    long buffer = MIB2;
    HybridModel m = run(MIB2, GIB, false, Program.named("p")
        .touch(buffer, 1, Access.WRITE)
        .syscall("write", SyscallArgs.fd(1).size(65536).buffer(buffer))
        .exit(0).build());
    assertThat(m.process(0).faultsBySize()).containsExactly(0, 1, 0);
    assertThat(m.proxy(0).remoteFaults()).isZero();
    assertThat(m.proxy(0).pageTableFaults()).isEqualTo(16);
    var o = S.offload();
    long offload = o.marshal() + o.ikcEnqueue() + S.ikc().latency() + S.ikc().ipi() + o.mcctrlDispatch()
        + o.proxyWakeup() + S.syscalls().linux("write") + o.replyWrite() + o.resume();
    assertThat((long) m.cpu(0).latencies().get("write").mean())
        .isEqualTo(offload + 16 * S.remoteFault().map());
  }

  /**
   * An untouched buffer: the first page is a remote fault, McKernel faults in the whole 2 MiB page for
   * it, and the other 15 pages come from its page table; with 4 KiB pages each of the 16 is a remote
   * fault.
   */
  @ParameterizedTest
  @ValueSource(longs = {4096, 2L << 20})
  void anUntouchedBufferTakesOneRemoteFaultPerPageMcKernelMaps(long largest) {
    long buffer = 2 * MIB2;
    HybridModel m = run(largest, GIB, false, Program.named("p")
        .syscall("write", SyscallArgs.fd(1).size(65536).buffer(buffer))
        .exit(0).build());
    long remote = largest == KIB4 ? 16 : 1;
    assertThat(m.proxy(0).remoteFaults()).isEqualTo(remote);
    assertThat(m.proxy(0).pageTableFaults()).isEqualTo(16 - remote);
    assertThat(m.process(0).faultsBySize()).containsExactly(largest == KIB4 ? 16 : 0, largest == KIB4 ? 0 : 1, 0);
  }

  /** munmap clears the proxy's mapping too: a later call on the range faults again (and fails: unmapped). */
  @Test
  void munmapForgetsThePagesOnBothSides() {
    long at = GIB;
    HybridModel m = run(MIB2, GIB, true, Program.named("p")
        .syscall("mmap", SyscallArgs.region(at, MIB2).flags(0x22))
        .touch(at, 1, Access.WRITE)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(at))
        .syscall("munmap", SyscallArgs.region(at, MIB2))
        .syscall("mmap", SyscallArgs.region(at, MIB2).flags(0x22))
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(at))
        .exit(0).build());
    assertThat(m.proxy(0).pageTableFaults()).isEqualTo(1);
    assertThat(m.proxy(0).remoteFaults()).isEqualTo(1);
    assertThat(m.process(0).faultsBySize()).containsExactly(0, 2, 0);
  }
}
