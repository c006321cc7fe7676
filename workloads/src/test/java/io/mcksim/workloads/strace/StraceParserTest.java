package io.mcksim.workloads.strace;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed samples in src/test/resources/strace, one for each syntax strace writes. */
class StraceParserTest {

  static StraceParser.Source sample(String name) throws IOException {
    try (InputStream in = StraceParserTest.class.getResourceAsStream("/strace/" + name)) {
      return StraceParser.Source.of(name, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    }
  }

  static StraceTrace parse(String... names) throws IOException {
    List<StraceParser.Source> sources = new ArrayList<>();
    for (String n : names) {
      sources.add(sample(n));
    }
    return StraceParser.parse(sources);
  }

  @Test
  void threadsWithEpochTimesDurationsPidsAndCallsSplitAcrossThreads() throws IOException {
    StraceTrace t = parse("threads-ttt-T.txt");
    assertThat(t.bad()).isEmpty();
    assertThat(t.timing()).isEqualTo("absolute");
    assertThat(t.durations()).isTrue();
    assertThat(t.calls().keySet()).containsExactly(4100, 4101);
    assertThat(t.root()).isEqualTo(4100);
    List<StraceCall> main = t.calls().get(4100);
    assertThat(main).extracting(StraceCall::name).containsExactly("execve", "brk", "mmap", "openat", "clone3",
        "futex", "read", "exit_group");
    // the unfinished futex and its resumption, three lines apart with another thread between
    StraceCall futex = main.get(5);
    assertThat(futex.startNs()).isEqualTo(4_200_000);
    assertThat(futex.durationNs()).isEqualTo(4_000_000);
    assertThat(futex.args()).containsExactly("0x7f8f2af2f910", "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME", "4101",
        "NULL", "FUTEX_BITSET_MATCH_ANY");
    assertThat(futex.result()).isEqualTo("0");
    StraceCall openat = main.get(3);
    assertThat(openat.failed()).isTrue();
    assertThat(openat.errno()).isEqualTo("ENOENT");
    assertThat(openat.value()).isEqualTo(-1);
    assertThat(main.get(1).value()).isEqualTo(0x55f52efe7000L);
    assertThat(t.children().get(4100)).singleElement().satisfies(c -> {
      assertThat(c.tid()).isEqualTo(4101);
      assertThat(c.thread()).as("clone3 with CLONE_VM").isTrue();
    });
    List<StraceCall> thread = t.calls().get(4101);
    assertThat(thread.get(1).args()).hasSize(3);
    assertThat(thread.get(1).arg(1)).startsWith("\"hello").endsWith("\"...");
    assertThat(thread.get(2).arg(1)).startsWith("[{d_ino=1").endsWith("...]");
    assertThat(thread.get(3).name()).isEqualTo("syscall_0x1c3");
    assertThat(thread.get(3).errno()).isEqualTo("ENOSYS");
    assertThat(t.exits()).containsEntry(4100, "exited with 3").containsEntry(4101, "exited with 0");
    assertThat(t.signals()).containsExactly("4100: SIGUSR1");
  }

  @Test
  void wallClockTimesWithoutPidsOrDurationsAcrossMidnight() throws IOException {
    StraceTrace t = parse("fork-tt.txt");
    assertThat(t.bad()).isEmpty();
    assertThat(t.durations()).isFalse();
    List<StraceCall> calls = t.calls().get(1);
    assertThat(calls).extracting(StraceCall::startNs).containsExactly(0L, 5_000_000L, 9_000_000L, 12_000_000L);
    assertThat(t.children().get(1)).singleElement().satisfies(c -> assertThat(c.thread()).isFalse());
    assertThat(t.signals()).containsExactly("1: SIGCHLD");
  }

  @Test
  void relativeTimesBracketedPidsVforkAndAKill() throws IOException {
    StraceTrace t = parse("relative-r-T.txt");
    assertThat(t.bad()).isEmpty();
    assertThat(t.timing()).isEqualTo("relative");
    List<StraceCall> parent = t.calls().get(7000);
    assertThat(parent).extracting(StraceCall::name).containsExactly("execve", "openat", "vfork", "read", "close");
    assertThat(parent.get(2).startNs()).isEqualTo(2_000_000);
    assertThat(parent.get(3).startNs()).isEqualTo(3_250_000); // 0+1+1+0.5+0.1+0.1+0.3+0.05+0.2 ms
    assertThat(t.children().get(7000)).singleElement().satisfies(c -> {
      assertThat(c.tid()).isEqualTo(7001);
      assertThat(c.thread()).as("vfork makes a process").isFalse();
    });
    assertThat(t.exits()).containsEntry(7001, "killed by SIGKILL");
  }

  @Test
  void perProcessFilesTakeTheirPidFromTheirNames() throws IOException {
    StraceTrace t = parse("perproc.8000", "perproc.8001");
    assertThat(t.bad()).isEmpty();
    assertThat(t.calls().keySet()).containsExactly(8000, 8001);
    assertThat(t.calls().get(8001).get(0).startNs()).isEqualTo(1_200_000);
    assertThat(t.children().get(8000)).singleElement().satisfies(c -> assertThat(c.tid()).isEqualTo(8001));
  }

  @Test
  void badLinesAreKeptWithTheirNumbersAndTheRestIsRead() throws IOException {
    StraceTrace t = parse("cut.txt");
    assertThat(t.bad()).extracting(StraceTrace.BadLine::line).containsExactlyInAnyOrder(2, 3, 4, 5, 6);
    assertThat(t.bad()).filteredOn(b -> b.line() == 6).singleElement()
        .satisfies(b -> assertThat(b.why()).contains("cut short"));
    assertThat(t.bad()).filteredOn(b -> b.line() == 3).singleElement()
        .satisfies(b -> assertThat(b.why()).contains("never resumed"));
    assertThat(t.calls().get(9000)).extracting(StraceCall::name).containsExactly("getuid");
    assertThat(t.lines()).isEqualTo(6);
  }

  @Test
  void threadsBecomeSpawnsForksBecomeForksExecStartsAnImageAndGapsBecomeCompute() throws IOException {
    TracePrograms.Result r = TracePrograms.of(parse("threads-ttt-T.txt"));
    Program root = r.root();
    // execve: its image holds the rest of the calls
    assertThat(root.ops()).singleElement().isInstanceOf(Op.Exec.class);
    List<Op> image = ((Op.Exec) root.ops().get(0)).image().ops();
    assertThat(image).filteredOn(o -> o instanceof Op.SpawnThread).hasSize(1);
    assertThat(image.get(image.size() - 1)).isEqualTo(new Op.Exit(3));
    // brk starts 1 ms after execve began, which took 0.5 ms: 0.5 ms of compute between them
    assertThat(image.get(0)).isEqualTo(new Op.Compute(500_000));
    Op.SpawnThread spawn = (Op.SpawnThread) image.stream().filter(o -> o instanceof Op.SpawnThread).findFirst()
        .orElseThrow();
    assertThat(spawn.program().ops()).contains(new Op.Syscall("write", SyscallArgs.fd(1).size(4096)));
    assertThat(r.unknown()).containsEntry("syscall_0x1c3", 1L);
    assertThat(r.counts()).containsEntry("futex", 1L).containsEntry("write", 1L);
    Program mmap = new Program("m", List.of(image.get(image.indexOf(new Op.Compute(990_000)) + 1)));
    assertThat(mmap.ops().get(0)).isEqualTo(new Op.Syscall("mmap", new SyscallArgs(SyscallArgs.NO_FD, 0,
        0x02 | 0x20 | 0x20000, 0, 8392704, 0).withFd(-1)));
    TracePrograms.Result forks = TracePrograms.of(parse("perproc.8000", "perproc.8001"));
    assertThat(((Op.Exec) forks.root().ops().get(0)).image().ops()).anyMatch(o -> o instanceof Op.Fork);
    assertThat(forks.threads()).containsOnlyKeys(8000, 8001);
  }
}
