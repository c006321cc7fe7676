package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
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

/**
 * McKernel's pmc_* calls (release 1.0.0 to 1.6.0, so under the mckernel-1.0 table) count what the run did on
 * the CPU between pmc_start and pmc_stop.
 */
class PerformanceCounterTest {

  static final Scenario S = new ScenarioLoader().defaults();
  static final long END = 10_000_000_000L;

  static HybridModel node(Program p) {
    return new HybridModel(List.of(4), "", List.of(new HybridModel.Process(p, List.of(0), 0)),
        SyscallTable.named(SyscallTable.MCKERNEL_1_0), S.ikc(), S.offload(), S.syscalls(), S.remoteFault(), S.mckernel(),
        S.launch(), 1).withLinuxCpus(new int[] {0, 1, 2, 3});
  }

  static long counter(HybridModel m, String event) {
    return m.cpu(0).performanceCounters()[McKernelCpu.PMC_EVENTS.indexOf(event)];
  }

  static long offloaded(String name) {
    var o = S.offload();
    return o.marshal() + o.ikcEnqueue() + S.ikc().latency() + S.ikc().ipi() + o.mcctrlDispatch()
        + o.proxyWakeup() + S.syscalls().linux(name) + o.replyWrite() + o.resume();
  }

  @Test
  void callsAndCyclesBetweenStartAndStopAndNothingOutside() {
    Program p = Program.named("counted")
        .syscall("getpid").compute(5_000)                         // before: not counted
        .syscall("pmc_init").syscall("pmc_start")
        .compute(1_000_000)
        .syscall("getpid").syscall("getpid").syscall("getpid")
        .syscall("write", SyscallArgs.fd(1).size(8)).syscall("write", SyscallArgs.fd(1).size(8))
        .syscall("pmc_stop")
        .compute(2_000_000).syscall("write", SyscallArgs.fd(1).size(8)) // after: not counted
        .exit(0).build();
    HybridModel m = node(p);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    long counted = S.syscalls().local("pmc_start") + 1_000_000 + 3 * S.syscalls().local("getpid")
        + 2 * offloaded("write");
    assertThat(counted).isEqualTo(100 + 1_000_000 + 120 + 6_900);
    assertThat(counter(m, "cycles")).isEqualTo(counted * 1_400 / 1_000);
    assertThat(counter(m, "local_syscalls")).isEqualTo(3);
    assertThat(counter(m, "offloaded_syscalls")).isEqualTo(2);
    assertThat(counter(m, "page_faults")).isZero();
    assertThat(counter(m, "ikc_packets")).as("replies are written into McKernel's memory").isZero();
    assertThat(counter(m, "noise_ns")).isZero();
  }

  @Test
  void pageFaultsRemoteFaultPacketsAndTheirInterruptsAreCountedAndResetClearsThem() {
    // the main thread sleeps in its write while a second thread computes on the same CPU; the proxy
    // lacks the buffer's page, which McKernel does not map either (an untouched page), so the CPU takes a fault request and then the wake-up, each an IKC
    // packet whose interrupt (and the fault's lookup) comes out of that computation
    Program worker = Program.named("worker").compute(1_000_000).exit(0).build();
    Program p = Program.named("faulting")
        .syscall("pmc_init").syscall("pmc_start")
        .touch(McProcess.DATA_START, 10 * 4096, Access.WRITE)
        .spawnThread(worker)
        .syscall("write", SyscallArgs.fd(1).size(64).buffer(McProcess.DATA_START + 16 * 4096))
        .syscall("pmc_stop")
        .exit(0).build();
    HybridModel m = node(p);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(counter(m, "page_faults")).isEqualTo(10);
    assertThat(counter(m, "offloaded_syscalls")).isEqualTo(1);
    assertThat(counter(m, "local_syscalls")).isZero();
    assertThat(counter(m, "ikc_packets")).isEqualTo(2);
    // and once the woken main thread is runnable beside the worker, the tick runs: one tick
    assertThat(m.cpu(0).irqNs()).isEqualTo(S.ikc().ipi() + S.remoteFault().resolve() + S.ikc().ipi());
    assertThat(m.cpu(0).tickNs()).isEqualTo(S.mckernel().tickCost());
    assertThat(counter(m, "noise_ns")).isEqualTo(900 + 2_000);
    assertThat(m.proxy(0).remoteFaults()).isEqualTo(1);

    Program reset = Program.named("reset").syscall("pmc_init").syscall("pmc_start")
        .syscall("getpid").syscall("pmc_reset").syscall("getpid").syscall("pmc_stop").exit(0).build();
    HybridModel r = node(reset);
    new SequentialEngine().run(r, RunSpec.until(END, 1));
    assertThat(counter(r, "local_syscalls")).as("only the call after the reset").isEqualTo(1);
  }
}
