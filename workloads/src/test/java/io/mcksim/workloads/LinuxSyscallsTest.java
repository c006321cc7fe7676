package io.mcksim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LinuxSyscallsTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
      "read, 0", "write, 1", "open, 2", "close, 3", "stat, 4", "fstat, 5", "lseek, 8", "mmap, 9",
      "mprotect, 10", "munmap, 11", "brk, 12", "ioctl, 16", "pread64, 17", "writev, 20", "access, 21",
      "sched_yield, 24", "mremap, 25", "madvise, 28", "getpid, 39", "clone, 56", "fork, 57", "vfork, 58",
      "execve, 59", "exit, 60", "wait4, 61", "kill, 62", "uname, 63", "fcntl, 72", "getcwd, 79",
      "gettimeofday, 96", "getuid, 102", "ptrace, 101", "gettid, 186", "futex, 202",
      "set_tid_address, 218", "clock_gettime, 228", "exit_group, 231", "openat, 257", "prlimit64, 302",
      "getcpu, 309", "process_vm_readv, 310", "execveat, 322",
      // more landmarks across the table
      "rt_sigaction, 13", "nanosleep, 35", "getppid, 110", "prctl, 157", "arch_prctl, 158", "tkill, 200",
      "time, 201", "getdents64, 217", "tgkill, 234", "mbind, 237", "waitid, 247", "pselect6, 270",
      "ppoll, 271", "set_robust_list, 273", "move_pages, 279", "epoll_pwait, 281", "signalfd4, 289",
      "perf_event_open, 298", "process_vm_writev, 311", "getrandom, 318", "statx, 332", "rseq, 334",
      "pidfd_send_signal, 424", "io_uring_setup, 425", "clone3, 435", "close_range, 436", "openat2, 437",
      "faccessat2, 439", "epoll_pwait2, 441", "futex_waitv, 449", "set_mempolicy_home_node, 450"})
  void linuxNumbers(String name, int number) {
    assertThat(LinuxSyscalls.number(name)).isEqualTo(number);
    assertThat(LinuxSyscalls.name(number)).isEqualTo(name);
    assertThat(LinuxSyscalls.exists(name)).isTrue();
    assertThat(LinuxSyscalls.exists(number)).isTrue();
    assertThat(LinuxSyscalls.isMcKernelPrivate(name)).isFalse();
  }

  @Test
  void classicRangeIsCompleteAndTheGapIsEmpty() {
    for (int n = 0; n <= 334; n++) {
      assertThat(LinuxSyscalls.exists(n)).as("number %d", n).isTrue();
    }
    for (int n = 335; n < LinuxSyscalls.FIRST_RECENT; n++) {
      assertThat(LinuxSyscalls.exists(n)).as("number %d", n).isFalse();
    }
    for (int n = LinuxSyscalls.FIRST_RECENT; n <= 450; n++) {
      assertThat(LinuxSyscalls.exists(n)).as("number %d", n).isTrue();
    }
  }

  @Test
  void namesAndNumbersAreOneToOne() {
    Set<Integer> numbers = new HashSet<>();
    for (String name : LinuxSyscalls.names()) {
      int n = LinuxSyscalls.number(name);
      assertThat(numbers.add(n)).as("number of %s", name).isTrue();
      assertThat(LinuxSyscalls.name(n)).isEqualTo(name);
    }
    assertThat(LinuxSyscalls.names()).doesNotHaveDuplicates();
    assertThat(LinuxSyscalls.names().get(0)).isEqualTo("read");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"get_cpu_id, 700", "pmc_init, 601", "pmc_start, 602", "pmc_stop, 603", "pmc_reset, 604"})
  void mckernelPrivateCallsHaveMcKernelsNumbers(String name, int number) {
    assertThat(LinuxSyscalls.number(name)).isEqualTo(number);
    assertThat(LinuxSyscalls.name(number)).isEqualTo(name);
    assertThat(LinuxSyscalls.isMcKernelPrivate(name)).isTrue();
    assertThat(LinuxSyscalls.isMcKernelPrivate(number)).isTrue();
  }

  @Test
  void privateNumbersAreClearOfLinux() {
    for (String name : LinuxSyscalls.names()) {
      int n = LinuxSyscalls.number(name);
      boolean priv = n == 700 || (n >= 601 && n <= 604);
      assertThat(LinuxSyscalls.isMcKernelPrivate(name)).as(name).isEqualTo(priv);
    }
    assertThat(LinuxSyscalls.isMcKernelPrivate(705)).isFalse();
    assertThat(LinuxSyscalls.isMcKernelPrivate(600)).isFalse();
    assertThat(LinuxSyscalls.isMcKernelPrivate("getpid")).isFalse();
    assertThat(LinuxSyscalls.isMcKernelPrivate("nosuchcall")).isFalse();
  }

  /** A call may be named by its number: a known number is its call, any other a call without a name. */
  @ParameterizedTest(name = "{0} = {1} ({2})")
  @CsvSource({"syscall_1, 1, write", "syscall_0x1, 1, write", "syscall_400, 400, syscall_400",
      "syscall_0x190, 400, syscall_400", "syscall_1023, 1023, syscall_1023", "syscall_0, 0, read"})
  void callsByNumber(String name, int number, String canonical) {
    assertThat(LinuxSyscalls.accepts(name)).isTrue();
    assertThat(LinuxSyscalls.number(name)).isEqualTo(number);
    assertThat(LinuxSyscalls.name(number)).isEqualTo(canonical);
    assertThat(new Op.Syscall(name).name()).isEqualTo(canonical);
    assertThat(new Op.Syscall(name).number()).isEqualTo(number);
    assertThat(LinuxSyscalls.exists(number)).isEqualTo(!canonical.startsWith("syscall_"));
  }

  @ParameterizedTest
  @CsvSource({"syscall_1024, 'syscall number 1024 (syscall_1024) is out of range: calls are numbered 0-1023'",
      "syscall_0x400, 'syscall number 1024 (syscall_0x400) is out of range: calls are numbered 0-1023'",
      "syscall_99999999999, 'syscall number 99999999999 (syscall_99999999999) is out of range: calls are numbered 0-1023'"})
  void numbersOutOfRangeAreErrors(String name, String message) {
    assertThat(LinuxSyscalls.accepts(name)).isFalse();
    assertThatThrownBy(() -> LinuxSyscalls.number(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(LinuxSyscalls.whyNot(name)).isEqualTo(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"syscall_", "syscall_x", "syscall_0x", "syscall_-1", "syscall_1a", "syscall_0xg"})
  void malformedNumbersAreUnknownNames(String name) {
    assertThat(LinuxSyscalls.accepts(name)).isFalse();
    assertThatThrownBy(() -> LinuxSyscalls.number(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown syscall '" + name + "'");
  }

  @Test
  void numbersOutsideTheRangeHaveNoName() {
    assertThatThrownBy(() -> LinuxSyscalls.name(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("syscall number -1 is out of range: calls are numbered 0-1023");
    assertThatThrownBy(() -> LinuxSyscalls.name(1024)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownNameListsTheClosestNames() {
    assertThatThrownBy(() -> LinuxSyscalls.number("opne"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown syscall 'opne'; did you mean open, openat, ");
    assertThat(LinuxSyscalls.nearMatches("opne")).hasSize(LinuxSyscalls.MAX_NEAR_MATCHES)
        .startsWith("open", "openat");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"getpdi, getpid", "sched_yeild, sched_yield", "mmpa, mmap", "OPEN, open", "exitgroup, exit_group",
      "clock_getime, clock_gettime", "sigaction, rt_sigaction", "prlimit, prlimit64", "get_cpuid, get_cpu_id"})
  void typosFindTheIntendedName(String typo, String intended) {
    assertThat(LinuxSyscalls.nearMatches(typo)).first().isEqualTo(intended);
    assertThatThrownBy(() -> LinuxSyscalls.number(typo)).hasMessageContaining("did you mean " + intended);
  }

  @Test
  void nearMatchesAreAtMostFiveAndDeterministic() {
    List<String> once = LinuxSyscalls.nearMatches("set");
    assertThat(once).hasSizeLessThanOrEqualTo(5).isEqualTo(LinuxSyscalls.nearMatches("set"));
    assertThat(LinuxSyscalls.nearMatches("zzzzzzzzzzzzzzzzzzzz")).isEmpty();
    assertThatThrownBy(() -> LinuxSyscalls.number("zzzzzzzzzzzzzzzzzzzz"))
        .hasMessageStartingWith("unknown syscall 'zzzzzzzzzzzzzzzzzzzz'; no known name is close");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void blankNameIsRejected(String name) {
    assertThatThrownBy(() -> LinuxSyscalls.number(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a syscall name is required");
    assertThat(LinuxSyscalls.exists(name)).isFalse();
  }

  @Test
  void nullNameIsRejected() {
    assertThatThrownBy(() -> LinuxSyscalls.number(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(LinuxSyscalls.exists(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {335, 423, 512, 699, 705})
  void unnamedNumbersAreCallsWithoutAName(int number) {
    assertThat(LinuxSyscalls.exists(number)).isFalse();
    assertThat(LinuxSyscalls.name(number)).isEqualTo("syscall_" + number);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 1024, Integer.MAX_VALUE})
  void numbersOutOfRangeAreRejected(int number) {
    assertThat(LinuxSyscalls.exists(number)).isFalse();
    assertThatThrownBy(() -> LinuxSyscalls.name(number)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("syscall number " + number + " is out of range: calls are numbered 0-1023 "
            + "(named: Linux x86_64 0-334 and 424-");
  }
}
