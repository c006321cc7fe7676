package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * System calls as McKernel's handlers dispatch them, on the node model's real entities (McKernel CPU,
 * its IKC ring, mcctrl, the proxy, the Linux CPUs): a local call whose handler also asks Linux pays
 * one offload round trip per request after its local cost (two for the set*id calls), and a hybrid
 * call is McKernel's alone exactly on the descriptors McKernel serves itself. Each call runs on an idle
 * CPU, so its latency is the closed form: local cost plus, per request to Linux, marshal + IKC enqueue
 * + IKC latency + ipi + mcctrl dispatch + proxy wake-up + the Linux service + reply write + resume.
 */
class SyscallDispatchTest {

  static final Scenario S = new ScenarioLoader().defaults();
  static final long END = 10_000_000_000L;

  static HybridModel run(SyscallTable table, Program p) {
    HybridModel m = new HybridModel(List.of(2), "", List.of(new HybridModel.Process(p, List.of(0), 0)), table,
        S.ikc(), S.offload(), S.syscalls(), S.remoteFault(), S.mckernel(), S.launch(), 1)
        .withLinuxCpus(new int[] {0, 1});
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    return m;
  }

  static HybridModel run(Program p) {
    return run(SyscallTable.defaultTable(), p);
  }

  /** One round trip to Linux for request {@code name}: the offload path's closed form on idle CPUs. */
  static long trip(String name) {
    var o = S.offload();
    return o.marshal() + o.ikcEnqueue() + S.ikc().latency() + S.ikc().ipi() + o.mcctrlDispatch()
        + o.proxyWakeup() + S.syscalls().linux(name) + o.replyWrite() + o.resume();
  }

  static long latency(HybridModel m, String call) {
    return (long) m.cpu(0).latencies().get(call).mean();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rt_sigprocmask", "rt_sigaction", "setpgid", "settimeofday", "munmap", "mremap",
      "shmdt", "remap_file_pages"})
  void aLocalCallWithALinuxSidePaysOneRoundTrip(String call) {
    HybridModel m = run(Program.named("p").syscall(call).exit(0).build());
    assertThat(latency(m, call)).isEqualTo(S.syscalls().local(call) + trip(call));
    assertThat(m.cpu(0).offloadedCalls()).isEqualTo(1);
    assertThat(m.proxy(0).served()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({"setuid, setfsuid", "setresuid, setfsuid", "setfsuid, setfsuid", "setgid, setfsgid",
      "setregid, setfsgid", "setfsgid, setfsgid"})
  void setIdCallsPayTwoRoundTrips(String call, String getcred) {
    HybridModel m = run(Program.named("p").syscall(call).exit(0).build());
    assertThat(latency(m, call)).isEqualTo(S.syscalls().local(call) + trip(call) + trip(getcred));
    assertThat(m.cpu(0).offloadedCalls()).isEqualTo(2);
    assertThat(m.proxy(0).served()).isEqualTo(2);
  }

  @Test
  void aSigactionOpInstallsAHandlerAndSoAsksLinux() {
    HybridModel m = run(Program.named("p").sigaction(10, io.mcksim.workloads.Op.SigAction.Action.IGNORE).exit(0).build());
    assertThat(latency(m, "rt_sigaction")).isEqualTo(S.syscalls().local("rt_sigaction") + trip("rt_sigaction"));
  }

  @Test
  void localCallsWithoutALinuxSideInTheirCaseStayLocal() {
    HybridModel m = run(Program.named("p")
        .syscall("getpid")
        .syscall("clock_gettime", SyscallArgs.NONE.flags(0))   // CLOCK_REALTIME: McKernel's TSC
        .syscall("setitimer", SyscallArgs.NONE.flags(2))       // ITIMER_PROF: McKernel's own timer
        .syscall("prctl", SyscallArgs.NONE.flags(41))          // PR_SET_THP_DISABLE
        .exit(0).build());
    for (String call : List.of("getpid", "clock_gettime", "setitimer", "prctl")) {
      assertThat(latency(m, call)).as(call).isEqualTo(S.syscalls().local(call));
    }
    assertThat(m.cpu(0).offloadedCalls()).isZero();
    assertThat(m.proxy(0).served()).isZero();
  }

  @Test
  void localCallsWithALinuxSideInTheirCaseAskIt() {
    HybridModel m = run(Program.named("p")
        .syscall("clock_gettime", SyscallArgs.NONE.flags(1))   // CLOCK_MONOTONIC: Linux's
        .syscall("setitimer", SyscallArgs.NONE.flags(0))       // ITIMER_REAL: Linux's
        .syscall("prlimit64", SyscallArgs.NONE.flags(7))       // RLIMIT_NOFILE: Linux's value too
        .exit(0).build());
    for (String call : List.of("clock_gettime", "setitimer", "prlimit64")) {
      assertThat(latency(m, call)).as(call).isEqualTo(S.syscalls().local(call) + trip(call));
    }
    assertThat(m.cpu(0).offloadedCalls()).isEqualTo(3);
  }

  /**
   * perf_event_open's descriptor (3, the first free: McKernel has mcexec hold its number) is
   * McKernel's: read, ioctl and fcntl of it are local, close goes to Linux; a regular file's descriptor
   * (4) goes to Linux for every call.
   */
  @Test
  void hybridCallsAreLocalOnAPerfDescriptorOnly() {
    HybridModel m = run(Program.named("p")
        .syscall("perf_event_open")
        .syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/tmp/data"))
        .syscall("read", SyscallArgs.fd(3).size(8))
        .syscall("ioctl", SyscallArgs.fd(3))
        .syscall("fcntl", SyscallArgs.fd(3))
        .syscall("read", SyscallArgs.fd(4).size(8))
        .syscall("ioctl", SyscallArgs.fd(4))
        .syscall("fcntl", SyscallArgs.fd(4))
        .syscall("close", SyscallArgs.fd(3))
        .syscall("ioctl", SyscallArgs.fd(3))  // closed: Linux's again
        .exit(0).build());
    McKernelCpu cpu = m.cpu(0);
    assertThat(latency(m, "perf_event_open")).isEqualTo(S.syscalls().local("perf_event_open")
        + trip("perf_event_open"));
    assertThat(cpu.latencies().get("read").samples()).containsExactly(S.syscalls().local("read"),
        trip("read"));
    assertThat(cpu.latencies().get("ioctl").samples()).containsExactly(S.syscalls().local("ioctl"),
        trip("ioctl"), trip("ioctl"));
    assertThat(cpu.latencies().get("fcntl").samples()).containsExactly(S.syscalls().local("fcntl"),
        trip("fcntl"));
    assertThat(latency(m, "close")).isEqualTo(trip("close"));
    // perf_event_open's request, openat, read/ioctl/fcntl of 4, close, the last ioctl
    assertThat(cpu.offloadedCalls()).isEqualTo(7);
    assertThat(m.proxy(0).served()).isEqualTo(7);
  }

  /**
   * McKernel's open of /dev/xpmem has Linux open it for the number (one round trip) and keeps the
   * descriptor: its ioctls are McKernel's, its reads and fcntls Linux's.
   */
  @Test
  void anXpmemDescriptorServesIoctlLocally() {
    HybridModel m = run(Program.named("p")
        .syscall("open", SyscallArgs.NONE.path("/dev/xpmem"))
        .syscall("ioctl", SyscallArgs.fd(3))
        .syscall("read", SyscallArgs.fd(3).size(8))
        .syscall("fcntl", SyscallArgs.fd(3))
        .exit(0).build());
    assertThat(latency(m, "open")).isEqualTo(S.syscalls().local("open") + trip("open"));
    assertThat(latency(m, "ioctl")).isEqualTo(S.syscalls().local("ioctl"));
    assertThat(latency(m, "read")).isEqualTo(trip("read"));
    assertThat(latency(m, "fcntl")).isEqualTo(trip("fcntl"));
    assertThat(m.proxy(0).openFds()).contains(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ppoll", "pselect6", "epoll_pwait", "close"})
  void callsThatAlwaysReachLinux(String call) {
    HybridModel m = run(Program.named("p").syscall("perf_event_open").syscall(call, SyscallArgs.fd(3))
        .exit(0).build());
    assertThat(latency(m, call)).isEqualTo(trip(call));
  }

  /** A number without a name goes to Linux by McKernel's generic forwarding; so do pmc_* under 1.8. */
  @Test
  void unnamedNumbersAndCallsARelaseLacksAreOffloaded() {
    HybridModel m = run(Program.named("p").syscall("syscall_400").syscall("pmc_start").exit(0).build());
    assertThat(latency(m, "syscall_400")).isEqualTo(trip("syscall_400"));
    assertThat(latency(m, "pmc_start")).isEqualTo(trip("pmc_start"));
    assertThat(m.cpu(0).offloadedCalls()).isEqualTo(2);
    HybridModel old = run(SyscallTable.named(SyscallTable.MCKERNEL_1_0),
        Program.named("p").syscall("pmc_start").exit(0).build());
    assertThat(latency(old, "pmc_start")).isEqualTo(S.syscalls().local("pmc_start"));
  }
}
