package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.IkcCostSettings;
import io.mcksim.config.OffloadCosts;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.config.SyscallCosts;
import io.mcksim.mckernel.McProcess;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.ProcView;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** McKernel's /proc and /sys views: what they show, and each read's round trip over IKC. */
class ProcViewTest {

  private static final Scenario S = new ScenarioLoader().defaults();
  private static final IkcCostSettings IKC = S.ikc();
  private static final OffloadCosts OFF = S.offload();
  private static final SyscallCosts SYS = S.syscalls();
  private static final int PID = HybridModel.FIRST_PID;
  private static final String ONLINE = "/sys/devices/system/cpu/online";

  /** McKernel CPUs 0-3 on the machine's CPUs 4-7 (Linux keeps 0-3). */
  private static HybridModel node(Program p) {
    return new HybridModel(IntStream.range(4, 8).boxed().toList(), "",
        List.of(new HybridModel.Process(p, List.of(0), 0)), SyscallTable.defaultTable(), IKC, OFF, SYS,
        S.remoteFault(), S.mckernel(), S.launch(), 1);
  }

  private static SyscallArgs open(String path) {
    return SyscallArgs.fd(SyscallArgs.AT_FDCWD).path(path).address(McProcess.DATA_START);
  }

  private static SyscallArgs read(int fd) {
    return SyscallArgs.fd(fd).size(4096).buffer(McProcess.DATA_START + 0x10000);
  }

  /** Opens the CPU list, reads it twice (the second read is at its end), then the process's status. */
  private static Program reader() {
    return Program.named("reader")
        .syscall("openat", open(ONLINE))
        .syscall("read", read(3))
        .syscall("read", read(3))
        .syscall("close", SyscallArgs.fd(3))
        .syscall("openat", open("/proc/self/status"))
        .syscall("read", read(3))
        .compute(1_000_000_000L)
        .exit(0).build();
  }

  @Test
  void pathsNameViewFilesAndOnlyThose() {
    assertThat(ProcView.lookup("/proc/self/status", PID)).isEqualTo(ProcView.File.SELF_STATUS);
    assertThat(ProcView.lookup("/proc/" + PID + "/maps", PID)).isEqualTo(ProcView.File.SELF_MAPS);
    assertThat(ProcView.lookup("/proc/" + (PID + 1) + "/maps", PID)).isEqualTo(ProcView.File.NONE);
    assertThat(ProcView.lookup("/etc/hosts", PID)).isEqualTo(ProcView.File.NONE);
    assertThat(ProcView.lookup(null, PID)).isEqualTo(ProcView.File.NONE);
    assertThatThrownBy(() -> ProcView.File.ofId(99)).hasMessageContaining("id 99");
  }

  @Test
  void theViewsShowMcKernelsCpusAndTheProcesssOwnAddressSpace() {
    TreeMap<Long, Long> areas = new TreeMap<>();
    areas.put(0x10000L, 0x50000L);
    areas.put(0x50000L, 0x60000L);
    ProcView.Snapshot s = new ProcView.Snapshot(PID, 2, 4, areas, 0x50000, 0x60000, 8192, 64L << 30,
        60L << 30);
    assertThat(ProcView.render(ProcView.File.CPU_ONLINE, s)).isEqualTo("0-3\n");
    assertThat(ProcView.render(ProcView.File.CPU_ONLINE,
        new ProcView.Snapshot(PID, 1, 1, areas, 0, 0, 0, 0, 0))).isEqualTo("0\n");
    assertThat(ProcView.render(ProcView.File.CPUINFO, s).split("processor\t:", -1)).hasSize(5);
    assertThat(ProcView.render(ProcView.File.SELF_MAPS, s)).isEqualTo(
        "00010000-00050000 rw-p 00000000 00:00 0\n00050000-00060000 rw-p 00000000 00:00 0 [heap]\n");
    assertThat(ProcView.render(ProcView.File.SELF_STATUS, s))
        .contains("Pid:\t" + PID + "\n", "Threads:\t2\n", "VmSize:\t320 kB\n", "VmRSS:\t8 kB\n",
            "Cpus_allowed_list:\t0-3\n");
  }

  @Test
  void aReadOfAViewFileGetsMcKernelsBytesOverIkc() {
    HybridModel m = node(reader());
    new SequentialEngine().run(m, RunSpec.until(5_000_000, 1));
    // the node's Linux has CPUs 0-3 too, but the McKernel process sees its instance's four
    long online = "0-3\n".length();
    long status = m.process(0).view(ProcView.File.SELF_STATUS).length();
    assertThat(m.process(0).view(ProcView.File.SELF_STATUS)).contains("Pid:\t" + PID + "\n",
        "Threads:\t1\n");
    assertThat(m.proxy(0).viewReads()).isEqualTo(3);
    assertThat(m.proxy(0).viewBytes()).isEqualTo(online + 0 + status);
    assertThat(m.cpu(0).procfsAnswers()).isEqualTo(3);
    // the descriptor was closed and the second open got the lowest free one again
    assertThat(m.proxy(0).openFds()).containsExactly(3);

    // the second read of the CPU list: the offload stages plus mcctrl's callback asking McKernel
    // (request 200 + IKC 400 + interrupt 200 + rendering as a local read 100 + IKC 400
    // + interrupt 200 + mcctrl's dispatch 300); the buffer page came over with the first read
    long roundTrip = S.remoteFault().request() + IKC.latency() + IKC.ipi() + SYS.local("read")
        + IKC.latency() + IKC.ipi() + OFF.mcctrlDispatch();
    long stages = OFF.marshal() + OFF.ikcEnqueue() + IKC.latency() + IKC.ipi() + OFF.mcctrlDispatch()
        + OFF.proxyWakeup() + SYS.linux("read") + OFF.replyWrite() + OFF.resume();
    LatencyLog reads = m.cpu(0).latencies().get("read");
    assertThat(reads.count()).isEqualTo(3);
    assertThat(reads.samples()[1]).isEqualTo(stages + roundTrip);
    assertThat(reads.samples()[2]).isEqualTo(stages + roundTrip);
  }

  @Test
  void meminfoShowsTheInstancesMemoryCountedOverItsPartitions() {
    // 1 GiB on NUMA 0 and 512 MiB on NUMA 1; the process holds its first grant from NUMA 0
    long gib = 1L << 30;
    Program p = Program.named("mem").syscall("openat", open("/proc/meminfo")).syscall("read", read(3))
        .exit(0).build();
    HybridModel m = new HybridModel(IntStream.range(4, 8).boxed().toList(), "",
        List.of(new HybridModel.Process(p, List.of(0), 0)), HybridModel.DEFAULT_SPARE_SLOTS,
        new long[] {gib, gib / 2}, false, SyscallTable.defaultTable(), IKC, OFF, SYS, S.remoteFault(),
        S.mckernel(), S.launch(), 1);
    new SequentialEngine().run(m, RunSpec.until(Long.MAX_VALUE / 4, 1));
    String meminfo = m.process(0).view(ProcView.File.MEMINFO);
    long held = McProcess.INITIAL_GRANT;
    assertThat(meminfo).startsWith("MemTotal:       " + (gib + gib / 2) / 1024 + " kB\n"
        + "MemFree:        " + (gib + gib / 2 - held) / 1024 + " kB\n");
    assertThat(m.proxy(0).viewBytes()).isEqualTo(meminfo.length());
    assertThat(m.cpu(0).procfsAnswers()).isEqualTo(1);
  }

  @Test
  void aPathOutsideTheViewsReadsAsALinuxFile() {
    Program p = Program.named("plain").syscall("openat", open("/etc/hosts")).syscall("read", read(3))
        .exit(0).build();
    HybridModel m = node(p);
    new SequentialEngine().run(m, RunSpec.until(Long.MAX_VALUE / 4, 1));
    assertThat(m.proxy(0).viewReads()).isZero();
    assertThat(m.cpu(0).procfsAnswers()).isZero();
    assertThat(m.proxy(0).openFds()).containsExactly(3);
  }

  @Test
  void anOffloadedCallKnownToFailReturnsItsErrorAndOpensNoDescriptor() {
    Program p = Program.named("failing")
        .syscall("openat", open("/etc/missing").errno(2))   // ENOENT: no descriptor
        .syscall("openat", open("/proc/meminfo"))           // so this is 3
        .syscall("read", read(3).errno(4))                  // EINTR: nothing read
        .syscall("read", read(3))
        .exit(0).build();
    HybridModel m = node(p);
    new SequentialEngine().run(m, RunSpec.until(Long.MAX_VALUE / 4, 1));
    assertThat(m.proxy(0).openFds()).containsExactly(3);
    assertThat(m.proxy(0).viewReads()).isEqualTo(1);
    assertThat(m.cpu(0).latencies().get("openat").count()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void viewReadsAreTheSameOnEveryEngine(int threads) {
    HybridModel seq = node(reader());
    RunResult r1 = new SequentialEngine().run(seq, RunSpec.until(5_000_000, 1));
    HybridModel act = node(reader());
    RunResult r2 = new ActorEngine().run(act, RunSpec.until(5_000_000, threads));
    assertThat(r2.digest()).isEqualTo(r1.digest());
    assertThat(act.proxy(0).viewBytes()).isEqualTo(seq.proxy(0).viewBytes());
  }
}
