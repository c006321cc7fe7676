package io.mcksim.mckernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.workloads.LinuxSyscalls;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SyscallTableTest {

  private final SyscallTable seed = SyscallTable.named(SyscallTable.SEED_2015);
  private final SyscallTable release = SyscallTable.named(SyscallTable.MCKERNEL_1_8);

  @ParameterizedTest(name = "{0}: seed-2015 {1}, mckernel-1.8 {2}")
  @CsvSource({
      "getpid, LOCAL, LOCAL",
      "gettid, LOCAL, LOCAL",
      "clone, LOCAL, LOCAL",
      "exit_group, LOCAL, LOCAL",
      "futex, LOCAL, LOCAL",
      "mmap, LOCAL, LOCAL",
      "brk, LOCAL, LOCAL",
      "sched_yield, LOCAL, LOCAL",
      "get_cpu_id, LOCAL, LOCAL",
      "pmc_reset, LOCAL, LOCAL",
      "tkill, OFFLOAD, LOCAL",
      "clock_gettime, OFFLOAD, LOCAL",
      "perf_event_open, OFFLOAD, LOCAL",
      "prlimit64, OFFLOAD, LOCAL",
      "execveat, OFFLOAD, LOCAL",
      "open, OFFLOAD, HYBRID",
      "read, OFFLOAD, HYBRID",
      "close, OFFLOAD, HYBRID",
      "epoll_pwait, OFFLOAD, HYBRID",
      "write, OFFLOAD, OFFLOAD",
      "writev, OFFLOAD, OFFLOAD",
      "socket, OFFLOAD, OFFLOAD",
      "pipe, OFFLOAD, OFFLOAD",
      "chdir, OFFLOAD, OFFLOAD",
      "clone3, OFFLOAD, OFFLOAD"})
  void classification(String syscall, Dispatch inSeed, Dispatch inRelease) {
    assertThat(seed.classify(syscall)).isEqualTo(inSeed);
    assertThat(release.classify(syscall)).isEqualTo(inRelease);
    int number = LinuxSyscalls.number(syscall);
    assertThat(seed.classify(number)).isEqualTo(inSeed);
    assertThat(release.classify(number)).isEqualTo(inRelease);
  }

  /** The calls McKernel delegates by name all go to Linux, whichever table. */
  @ParameterizedTest
  @ValueSource(strings = {"write", "stat", "fstat", "poll", "lseek", "pread64", "pwrite64", "writev", "access",
      "select", "uname", "semop", "semtimedop", "msgsnd", "msgrcv", "getcwd", "unlink", "readlink", "getpgrp",
      "io_getevents", "getdents64", "clock_nanosleep", "epoll_wait", "mkdirat", "mknodat", "fchownat",
      "futimesat", "newfstatat", "unlinkat", "renameat", "linkat", "symlinkat", "readlinkat", "fchmodat",
      "faccessat"})
  void delegatedCallsAreOffloaded(String syscall) {
    assertThat(seed.classify(syscall)).isEqualTo(Dispatch.OFFLOAD);
    assertThat(release.classify(syscall)).isEqualTo(Dispatch.OFFLOAD);
  }

  @Test
  void setSizes() {
    System.out.println("[SyscallTableTest] " + seed + "; " + release);
    assertThat(seed.localCount()).isEqualTo(69);
    assertThat(seed.hybridCount()).isZero();
    assertThat(seed.locals()).hasSize(69);
    assertThat(release.localCount()).isEqualTo(110);
    assertThat(release.hybridCount()).isEqualTo(9);
    assertThat(release.locals()).hasSize(101);
    assertThat(release.hybrids()).containsExactly(
        "close", "epoll_pwait", "fcntl", "ioctl", "open", "openat", "ppoll", "pselect6", "read");
    assertThat(seed.toString()).isEqualTo("seed-2015 (69 local incl. 0 hybrid)");
    assertThat(release.toString()).isEqualTo("mckernel-1.8 (110 local incl. 9 hybrid)");
  }

  @Test
  void everyListedCallIsKnown() {
    for (SyscallTable table : List.of(seed, release)) {
      List<String> listed = new ArrayList<>(table.locals());
      listed.addAll(table.hybrids());
      for (String call : listed) {
        assertThat(LinuxSyscalls.exists(call)).as("%s in %s", call, table.name()).isTrue();
      }
      assertThat(listed).doesNotHaveDuplicates();
    }
    assertThat(seed.locals()).filteredOn(LinuxSyscalls::isMcKernelPrivate)
        .containsExactly("get_cpu_id", "pmc_init", "pmc_reset", "pmc_start", "pmc_stop");
  }

  @Test
  void releaseExtendsTheSeed() {
    assertThat(release.locals()).containsAll(seed.locals());
    assertThat(release.hybrids()).doesNotContainAnyElementsOf(seed.locals());
  }

  @Test
  void countsAgreeWithClassifyingEveryCall() {
    for (SyscallTable table : List.of(seed, release)) {
      int local = 0;
      int hybrid = 0;
      for (String call : LinuxSyscalls.names()) {
        Dispatch d = table.classify(call);
        assertThat(table.classify(LinuxSyscalls.number(call))).isEqualTo(d);
        local += d.hasLocalHandler() ? 1 : 0;
        hybrid += d == Dispatch.HYBRID ? 1 : 0;
      }
      assertThat(local).isEqualTo(table.localCount());
      assertThat(hybrid).isEqualTo(table.hybridCount());
    }
  }

  @Test
  void namesAndDefault() {
    assertThat(SyscallTable.tableNames()).containsExactly("mckernel-1.8", "seed-2015");
    assertThat(SyscallTable.defaultTable()).isSameAs(release);
    assertThat(release.name()).isEqualTo("mckernel-1.8");
    assertThat(seed.name()).isEqualTo("seed-2015");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mckernel-1.9", "seed", ""})
  void unknownTableListsTheKnownOnes(String name) {
    assertThatThrownBy(() -> SyscallTable.named(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown syscall table '" + name + "'; known tables: mckernel-1.8, seed-2015 "
            + "(default mckernel-1.8)");
  }

  @Test
  void nullTableName() {
    assertThatThrownBy(() -> SyscallTable.named(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("known tables: mckernel-1.8, seed-2015");
  }

  @Test
  void unknownSyscallsAreErrors() {
    assertThatThrownBy(() -> release.classify("getpdi")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown syscall 'getpdi'; did you mean getpid");
    assertThatThrownBy(() -> release.classify(400)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown syscall number 400");
    assertThatThrownBy(() -> release.classify(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> release.classify(100_000)).isInstanceOf(IllegalArgumentException.class);
  }
}
