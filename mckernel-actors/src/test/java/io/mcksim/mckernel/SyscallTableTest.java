package io.mcksim.mckernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.workloads.LinuxSyscalls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each built-in table is its release's x86_64 list: the test resources {@code syscall-lists/<table>.txt}
 * hold the lists derived from McKernel's {@code syscall_list.h} of the release each names (tag or commit,
 * and file), and the table must equal them call for call.
 */
class SyscallTableTest {

  private final SyscallTable release10 = SyscallTable.named(SyscallTable.MCKERNEL_1_0);
  private final SyscallTable release18 = SyscallTable.named(SyscallTable.MCKERNEL_1_8);

  /** One entry of a release's list. */
  record Entry(String number, String name, boolean handled, String option) {}

  /** McKernel-private calls of the lists that the model does not have (and the 1.8 profile call). */
  private static final Set<String> NOT_MODELLED = Set.of("util_migrate_inter_kernel", "util_indicate_clone",
      "get_system", "util_register_desc", "swapout", "linux_mlock", "suspend_threads", "resume_threads",
      "linux_spawn", "profile");

  /** Build options on in each release's default build (CMakeLists.txt; 1.0.0 has no optional entry on). */
  private static final Set<String> DEFAULT_OPTIONS = Set.of("ENABLE_PERF", "PROFILE_ENABLE");

  static List<Entry> list(String table) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
        SyscallTableTest.class.getResourceAsStream("/syscall-lists/" + table + ".txt")), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        entries.add(new Entry(f[0], f[1], f[2].equals("handled"), f[3]));
      }
    }
    return entries;
  }

  /** The entries of a default build. */
  static List<Entry> built(String table) throws IOException {
    return list(table).stream().filter(e -> e.option().equals("-") || DEFAULT_OPTIONS.contains(e.option()))
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mckernel-1.0", "mckernel-1.8"})
  void eachTableIsItsReleasesList(String name) throws IOException {
    SyscallTable table = SyscallTable.named(name);
    Set<String> handled = new TreeSet<>();
    for (Entry e : built(name)) {
      if (NOT_MODELLED.contains(e.name())) {
        assertThat(LinuxSyscalls.exists(e.name())).as(e.name()).isFalse();
        continue;
      }
      // the model's number is McKernel's
      assertThat(LinuxSyscalls.number(e.name())).as(e.name()).isEqualTo(Integer.parseInt(e.number()));
      Dispatch d = table.classify(e.name());
      assertThat(d.hasLocalHandler()).as("%s in %s", e.name(), name).isEqualTo(e.handled());
      assertThat(d == Dispatch.HYBRID).as("%s hybrid in %s", e.name(), name)
          .isEqualTo(e.handled() && SyscallTable.DESCRIPTOR_CALLS.contains(e.name()));
      if (e.handled()) {
        handled.add(e.name());
      }
    }
    Set<String> tableHandled = new TreeSet<>(table.locals());
    tableHandled.addAll(table.hybrids());
    assertThat(tableHandled).isEqualTo(handled);
    // every other call, named or not, goes to Linux
    for (String call : LinuxSyscalls.names()) {
      if (!handled.contains(call)) {
        assertThat(table.classify(call)).as("%s in %s", call, name).isEqualTo(Dispatch.OFFLOAD);
      }
    }
  }

  @Test
  void entriesOffByDefaultAreNotInTheTables() throws IOException {
    assertThat(list("mckernel-1.8")).contains(new Entry("303", "mod_call", true, "DCFA_KMOD"));
    assertThat(release18.classify(303)).isEqualTo(Dispatch.OFFLOAD); // name_to_handle_at on Linux
    assertThat(list("mckernel-1.8")).contains(new Entry("298", "perf_event_open", true, "ENABLE_PERF"));
    assertThat(release18.classify("perf_event_open")).isEqualTo(Dispatch.LOCAL);
  }

  @ParameterizedTest(name = "{0}: mckernel-1.0 {1}, mckernel-1.8 {2}")
  @CsvSource({
      "getpid, LOCAL, LOCAL",
      "clone, LOCAL, LOCAL",
      "fork, OFFLOAD, LOCAL",
      "close, HYBRID, HYBRID",
      "read, OFFLOAD, HYBRID",
      "open, OFFLOAD, HYBRID",
      "ioctl, OFFLOAD, HYBRID",
      "epoll_pwait, OFFLOAD, HYBRID",
      "getrlimit, LOCAL, LOCAL",
      "sched_setparam, LOCAL, LOCAL",
      "clock_gettime, OFFLOAD, LOCAL",
      "time, OFFLOAD, LOCAL",
      "perf_event_open, OFFLOAD, LOCAL",
      "pmc_init, LOCAL, OFFLOAD",
      "pmc_reset, LOCAL, OFFLOAD",
      "get_cpu_id, LOCAL, LOCAL",
      "write, OFFLOAD, OFFLOAD",
      "socket, OFFLOAD, OFFLOAD",
      "clone3, OFFLOAD, OFFLOAD"})
  void classification(String syscall, Dispatch in10, Dispatch in18) {
    assertThat(release10.classify(syscall)).isEqualTo(in10);
    assertThat(release18.classify(syscall)).isEqualTo(in18);
    int number = LinuxSyscalls.number(syscall);
    assertThat(release10.classify(number)).isEqualTo(in10);
    assertThat(release18.classify(number)).isEqualTo(in18);
  }

  @Test
  void setSizes() {
    System.out.println("[SyscallTableTest] " + release10 + "; " + release18);
    assertThat(release10.localCount()).isEqualTo(89);
    assertThat(release10.hybrids()).containsExactly("close");
    assertThat(release18.localCount()).isEqualTo(106);
    assertThat(release18.hybrids()).containsExactly(
        "close", "epoll_pwait", "fcntl", "ioctl", "open", "openat", "ppoll", "pselect6", "read");
    assertThat(release10.toString()).isEqualTo("mckernel-1.0 (89 local incl. 1 hybrid)");
    assertThat(release18.toString()).isEqualTo("mckernel-1.8 (106 local incl. 9 hybrid)");
    assertThat(release10.release()).contains("tag 1.0.0").contains("syscall_list.h");
    assertThat(release18.release()).contains("1.8.0").contains("e597be094");
  }

  @Test
  void countsAgreeWithClassifyingEveryCall() {
    for (SyscallTable table : List.of(release10, release18)) {
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
    assertThat(SyscallTable.tableNames()).containsExactly("mckernel-1.0", "mckernel-1.8");
    assertThat(SyscallTable.defaultTable()).isSameAs(release18);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mckernel-1.9", "seed-2015", ""})
  void unknownTableListsTheKnownOnes(String name) {
    assertThatThrownBy(() -> SyscallTable.named(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown syscall table '" + name + "'; known tables: mckernel-1.0, mckernel-1.8 "
            + "(default mckernel-1.8)");
  }

  @Test
  void nullTableName() {
    assertThatThrownBy(() -> SyscallTable.named(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("known tables: mckernel-1.0, mckernel-1.8");
  }

  /** McKernel's generic forwarding: a number without a name goes to Linux. */
  @ParameterizedTest
  @ValueSource(ints = {335, 400, 423, 512, 1023})
  void unnamedNumbersAreOffloaded(int number) {
    assertThat(release18.classify(number)).isEqualTo(Dispatch.OFFLOAD);
    assertThat(release10.classify(number)).isEqualTo(Dispatch.OFFLOAD);
    assertThat(release18.classify("syscall_" + number)).isEqualTo(Dispatch.OFFLOAD);
  }

  @Test
  void malformedCallsAreErrors() {
    assertThatThrownBy(() -> release18.classify("getpdi")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown syscall 'getpdi'; did you mean getpid");
    assertThatThrownBy(() -> release18.classify(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> release18.classify(1024)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("syscall number 1024 is out of range");
    assertThatThrownBy(() -> release18.classify("syscall_5000")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("syscall number 5000 (syscall_5000) is out of range");
  }
}
