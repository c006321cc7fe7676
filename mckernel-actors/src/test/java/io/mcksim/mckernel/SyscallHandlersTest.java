package io.mcksim.mckernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.workloads.Op;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How McKernel's handlers route each call: see {@link SyscallHandlers}. */
class SyscallHandlersTest {

  private static final SyscallTable R18 = SyscallTable.named(SyscallTable.MCKERNEL_1_8);

  /** The names of the requests a call sends to Linux: null when it is offloaded as a whole. */
  static List<String> toLinux(SyscallTable table, Op.Syscall s, FdKind fd) {
    CallRoute r = SyscallHandlers.route(table, s, fd);
    return r instanceof CallRoute.Local l ? l.toLinux().stream().map(Op.Syscall::name).toList() : null;
  }

  /** A hybrid call is McKernel's alone exactly on the descriptors whose handler McKernel has. */
  @ParameterizedTest(name = "{0} on {1}: local {2}")
  @CsvSource({
      "read, PERF, true", "read, XPMEM, false", "read, DEVICE, false", "read, , false",
      "ioctl, PERF, true", "ioctl, XPMEM, true", "ioctl, DEVICE, false", "ioctl, , false",
      "fcntl, PERF, true", "fcntl, XPMEM, false", "fcntl, , false",
      "close, PERF, false", "close, XPMEM, false", "close, , false",
      "ppoll, PERF, false", "pselect6, , false", "epoll_pwait, XPMEM, false"})
  void hybridCallsAreLocalOnMcKernelsDescriptorsOnly(String call, FdKind fd, boolean local) {
    Op.Syscall s = new Op.Syscall(call, SyscallArgs.fd(3));
    assertThat(R18.classify(call)).isEqualTo(Dispatch.HYBRID);
    assertThat(toLinux(R18, s, fd)).isEqualTo(local ? List.of() : null);
  }

  @Test
  void openOfXpmemIsMcKernelsWithOneTripElseLinuxs() {
    for (String open : List.of("open", "openat")) {
      Op.Syscall xpmem = new Op.Syscall(open, SyscallArgs.NONE.path("/dev/xpmem"));
      assertThat(toLinux(R18, xpmem, null)).containsExactly(open);
      assertThat(SyscallHandlers.opens(xpmem)).isEqualTo(FdKind.XPMEM);
      Op.Syscall file = new Op.Syscall(open, SyscallArgs.NONE.path("/tmp/data"));
      assertThat(toLinux(R18, file, null)).isNull();
      assertThat(SyscallHandlers.opens(file)).isNull();
      assertThat(SyscallHandlers.opens(new Op.Syscall(open, SyscallArgs.NONE.path("/dev/hfi1_0"))))
          .isEqualTo(FdKind.DEVICE);
    }
    assertThat(SyscallHandlers.opens(new Op.Syscall("perf_event_open"))).isEqualTo(FdKind.PERF);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rt_sigprocmask", "rt_sigaction", "setpgid", "settimeofday", "munmap", "mremap",
      "shmdt", "remap_file_pages", "perf_event_open"})
  void localCallsThatAlwaysAskLinuxOnce(String call) {
    assertThat(toLinux(R18, new Op.Syscall(call), null)).containsExactly(call);
  }

  @ParameterizedTest
  @CsvSource({"setuid, setfsuid", "setreuid, setfsuid", "setresuid, setfsuid", "setfsuid, setfsuid",
      "setgid, setfsgid", "setregid, setfsgid", "setresgid, setfsgid", "setfsgid, setfsgid"})
  void setIdCallsAskLinuxTwice(String call, String getcred) {
    assertThat(toLinux(R18, new Op.Syscall(call), null)).containsExactly(call, getcred);
  }

  /** The cases read from the call's flags: clock, timer, resource, option, mapping, protection. */
  @ParameterizedTest(name = "{0} flags {1} fd {2}: trips {3}")
  @CsvSource({
      "clock_gettime, 0, -1, 0", "clock_gettime, 1, -1, 1", "clock_gettime, 2, -1, 0",
      "clock_gettime, 3, -1, 0", "clock_gettime, 7, -1, 1",
      "setitimer, 0, -1, 1", "setitimer, 1, -1, 0", "setitimer, 2, -1, 0", "getitimer, 0, -1, 1",
      "setrlimit, 7, -1, 1", "setrlimit, 3, -1, 0", "prlimit64, 1, -1, 1", "prlimit64, 10, -1, 1",
      "prlimit64, 12, -1, 1", "getrlimit, 7, -1, 0",
      "prctl, 41, -1, 0", "prctl, 42, -1, 0", "prctl, 15, -1, 1",
      "mmap, 34, -1, 0", "mmap, 2, 3, 1", "mmap, 34, 3, 0", "mmap, 1, -1, 0",
      "mprotect, 3, -1, 0", "mprotect, 1, -1, 1", "mprotect, 0, -1, 1",
      "futex, 0, -1, 0", "kill, 0, -1, 0", "gettimeofday, 0, -1, 0", "getpid, 0, -1, 0", "brk, 0, -1, 0"})
  void conditionalCases(String call, long flags, int fd, int trips) {
    List<String> sent = toLinux(R18, new Op.Syscall(call, SyscallArgs.fd(fd).flags(flags)), null);
    assertThat(sent).hasSize(trips);
  }

  @Test
  void offloadedAndUnnamedCallsGoToLinuxWhole() {
    assertThat(toLinux(R18, new Op.Syscall("write", SyscallArgs.fd(1)), null)).isNull();
    assertThat(toLinux(R18, new Op.Syscall("syscall_400"), null)).isNull();
    assertThat(toLinux(R18, new Op.Syscall("pmc_start"), null)).isNull();
    SyscallTable r10 = SyscallTable.named(SyscallTable.MCKERNEL_1_0);
    assertThat(toLinux(r10, new Op.Syscall("pmc_start"), null)).isEmpty();
    assertThat(toLinux(r10, new Op.Syscall("read", SyscallArgs.fd(3)), FdKind.PERF)).isNull();
    assertThat(toLinux(r10, new Op.Syscall("clock_gettime", SyscallArgs.NONE.flags(1)), null)).isNull();
  }
}
