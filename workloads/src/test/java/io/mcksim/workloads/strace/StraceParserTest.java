package io.mcksim.workloads.strace;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed samples in src/test/resources/strace, one for each syntax strace writes. */
class StraceParserTest {

  /** What a parse hands on, kept: each thread's calls (times from the first call), exits, signals. */
  static final class Recorder implements StraceParser.Sink {
    final Map<Integer, List<StraceCall>> calls = new LinkedHashMap<>();
    final Map<Integer, String> exits = new LinkedHashMap<>();
    final List<String> signals = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    StraceTrace trace;

    @Override
    public void call(StraceCall c) {
      calls.computeIfAbsent(c.tid(), k -> new ArrayList<>()).add(c);
    }

    @Override
    public void ended(int tid, String how, String where) {
      exits.put(tid, how);
    }

    @Override
    public void signal(int tid, String name) {
      signals.add(tid + ": " + name);
    }

    @Override
    public void warn(String warning) {
      warnings.add(warning);
    }

    /** Thread {@code tid}'s calls, their starts from the trace's first call. */
    List<StraceCall> of(int tid) {
      long first = calls.values().stream().mapToLong(l -> l.get(0).startNs()).min().orElse(0);
      return calls.get(tid).stream().map(c -> new StraceCall(c.tid(), c.startNs() - first, c.durationNs(),
          c.name(), c.args(), c.result(), c.errno(), c.file(), c.line())).toList();
    }
  }

  static StraceParser.Source sample(String name) throws IOException {
    try (InputStream in = StraceParserTest.class.getResourceAsStream("/strace/" + name)) {
      return StraceParser.Source.of(name, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    }
  }

  static List<StraceParser.Source> samples(String... names) throws IOException {
    List<StraceParser.Source> sources = new ArrayList<>();
    for (String n : names) {
      sources.add(sample(n));
    }
    return sources;
  }

  static Recorder parse(String... names) throws IOException {
    Recorder r = new Recorder();
    r.trace = StraceParser.parse(samples(names), r);
    return r;
  }

  static Recorder parseLines(String... lines) throws IOException {
    Recorder r = new Recorder();
    r.trace = StraceParser.parse(List.of(StraceParser.Source.of("t.txt", List.of(lines))), r);
    return r;
  }

  @Test
  void threadsWithEpochTimesDurationsPidsAndCallsSplitAcrossThreads() throws IOException {
    Recorder r = parse("threads-ttt-T.txt");
    StraceTrace t = r.trace;
    assertThat(t.unreadable()).isZero();
    assertThat(t.timing()).isEqualTo("absolute");
    assertThat(t.durations()).isTrue();
    assertThat(r.calls.keySet()).containsExactly(4100, 4101);
    List<StraceCall> main = r.of(4100);
    assertThat(main).extracting(StraceCall::name).containsExactly("execve", "brk", "mmap", "openat", "clone3",
        "futex", "read", "exit_group");
    // the unfinished futex and its resumption, three lines apart with another thread between
    StraceCall futex = main.get(5);
    assertThat(futex.startNs()).isEqualTo(4_200_000);
    assertThat(futex.durationNs()).isEqualTo(4_000_000);
    assertThat(futex.line()).isEqualTo(7);
    assertThat(futex.args()).containsExactly("0x7f8f2af2f910", "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME", "4101",
        "NULL", "FUTEX_BITSET_MATCH_ANY");
    assertThat(futex.result()).isEqualTo("0");
    StraceCall openat = main.get(3);
    assertThat(openat.failed()).isTrue();
    assertThat(openat.errno()).isEqualTo("ENOENT");
    assertThat(openat.value()).isEqualTo(-1);
    assertThat(main.get(1).value()).isEqualTo(0x55f52efe7000L);
    List<StraceCall> thread = r.of(4101);
    assertThat(thread.get(1).args()).hasSize(3);
    assertThat(thread.get(1).arg(1)).startsWith("\"hello").endsWith("\"...");
    assertThat(thread.get(2).arg(1)).startsWith("[{d_ino=1").endsWith("...]");
    assertThat(thread.get(3).name()).isEqualTo("syscall_0x1c3");
    assertThat(thread.get(3).errno()).isEqualTo("ENOSYS");
    assertThat(r.exits).containsEntry(4100, "exited with 3").containsEntry(4101, "exited with 0");
    assertThat(r.signals).containsExactly("4100: SIGUSR1");
    assertThat(r.warnings).isEmpty();
  }

  @Test
  void wallClockTimesWithoutPidsOrDurationsAcrossMidnight() throws IOException {
    Recorder r = parse("fork-tt.txt");
    assertThat(r.trace.unreadable()).isZero();
    assertThat(r.trace.durations()).isFalse();
    assertThat(r.of(1)).extracting(StraceCall::startNs).containsExactly(0L, 5_000_000L, 9_000_000L, 12_000_000L);
    assertThat(r.signals).containsExactly("1: SIGCHLD");
    TracePrograms.Result p = TracePrograms.read(samples("fork-tt.txt"));
    assertThat(((Op.Exec) p.root().ops().get(0)).image().ops()).anyMatch(o -> o instanceof Op.Fork);
  }

  @Test
  void relativeTimesBracketedPidsVforkAndAKill() throws IOException {
    Recorder r = parse("relative-r-T.txt");
    assertThat(r.trace.unreadable()).isZero();
    assertThat(r.trace.timing()).isEqualTo("relative");
    List<StraceCall> parent = r.of(7000);
    assertThat(parent).extracting(StraceCall::name).containsExactly("execve", "openat", "vfork", "read", "close");
    assertThat(parent.get(2).startNs()).isEqualTo(2_000_000);
    assertThat(parent.get(3).startNs()).isEqualTo(3_250_000); // 0+1+1+0.5+0.1+0.1+0.3+0.05+0.2 ms
    assertThat(r.exits).containsEntry(7001, "killed by SIGKILL");
    // the child's first line comes before vfork returns: it is still vfork's child, a process
    Program image = ((Op.Exec) TracePrograms.read(samples("relative-r-T.txt")).root().ops().get(0)).image();
    assertThat(image.ops()).filteredOn(o -> o instanceof Op.Fork).singleElement()
        .satisfies(f -> assertThat(((Op.Fork) f).child().name()).isEqualTo("pid 7001"));
  }

  @Test
  void perProcessFilesTakeTheirPidFromTheirNames() throws IOException {
    Recorder r = parse("perproc.8000", "perproc.8001");
    assertThat(r.trace.unreadable()).isZero();
    assertThat(r.calls.keySet()).containsExactly(8000, 8001);
    assertThat(r.of(8001).get(0).startNs()).isEqualTo(1_200_000);
    // in either order of the files
    for (String[] order : List.of(new String[] {"perproc.8000", "perproc.8001"},
        new String[] {"perproc.8001", "perproc.8000"})) {
      TracePrograms.Result p = TracePrograms.read(samples(order));
      assertThat(((Op.Exec) p.root().ops().get(0)).image().ops()).anyMatch(o -> o instanceof Op.Fork);
      assertThat(p.threads()).extracting(Program::name).containsExactly("tid 8000", "tid 8001");
    }
    assertThat(StraceParser.Source.pidOf("trace.99999999")).isEqualTo(-1);
    assertThat(StraceParser.Source.pidOf("trace.0")).isEqualTo(-1);
  }

  @Test
  void badLinesAreKeptWithTheirNumbersAndTheRestIsRead() throws IOException {
    Recorder r = parse("cut.txt");
    assertThat(r.trace.badLines()).extracting(StraceTrace.BadLine::line).containsExactly(2L, 4L, 5L, 6L);
    assertThat(r.trace.badLines()).filteredOn(b -> b.line() == 6).singleElement()
        .satisfies(b -> assertThat(b.why()).contains("cut short"));
    assertThat(r.trace.badLines()).filteredOn(b -> b.line() == 4).singleElement()
        .satisfies(b -> assertThat(b.why()).isEqualTo("resumes write of thread 9001, which did not start"));
    assertThat(r.trace.badLines()).filteredOn(b -> b.line() == 5).singleElement()
        .satisfies(b -> assertThat(b.why()).isEqualTo("thread 9000 starts fstat while read (line 3) is unfinished"));
    // the read cut off by the end of the trace is no bad line: a warning, and left out
    assertThat(r.warnings).singleElement().asString().startsWith("cut.txt:3: the trace ends during read of thread 9000");
    assertThat(r.calls.get(9000)).extracting(StraceCall::name).containsExactly("getuid");
    assertThat(r.trace.lines()).isEqualTo(6);
  }

  @Test
  void aNumberOutOfRangeMakesItsLineBadAndNotTheTrace() throws IOException {
    Recorder r = parseLines(
        "100 1700000000.000000 getpid() = 100 <0.000001>",
        "99999999999 1700000000.100000 getpid() = 1 <0.000001>",
        "0 1700000000.100000 getpid() = 1 <0.000001>",
        "100 99999999999999999999999.000000 getpid() = 100 <0.000001>",
        "100 1700000000.200000 getpid() = 100 <99999999999999999999.000001>",
        "100 1700000000.300000 getpid() = 99999999999999999999999 <0.000001>",
        "100 1700000000.400000 write(99999999999999, \"x\", 1) = 1 <0.000001>",
        "100 1700000000.500000 exit_group(-1) = ?");
    assertThat(r.trace.badLines()).extracting(StraceTrace.BadLine::line).containsExactly(2L, 3L, 4L, 5L);
    assertThat(r.trace.badLines()).extracting(StraceTrace.BadLine::why).containsExactly(
        "pid 99999999999 is out of range (1 to 4194304)", "pid 0 is out of range (1 to 4194304)",
        "timestamp 99999999999999999999999 is out of range (0 to 4000000000)",
        "duration <99999999999999999999.000001> is out of range (at most 1000000000 s)");
    assertThat(r.calls.get(100)).extracting(StraceCall::name).containsExactly("getpid", "getpid", "write",
        "exit_group");
    TracePrograms.Result p = TracePrograms.read(List.of(StraceParser.Source.of("t.txt", List.of(
        "100 1700000000.400000 write(99999999999999, \"x\", 1) = 1 <0.000001>",
        "100 1700000000.500000 exit_group(-1) = ?"))));
    assertThat(p.root().ops()).containsExactly(new Op.Syscall("write", SyscallArgs.fd(SyscallArgs.NO_FD).size(1)),
        new Op.Compute(99_999_000), new Op.Exit(255));
  }

  @Test
  void aTimestampFarFromTheFirstIsBad() throws IOException {
    Recorder r = parseLines("1 1700000000.000000 getpid() = 1", "1 3999999999.000000 getpid() = 1",
        "1 1700000001.000000 getpid() = 1", "1 600000000.000000 getpid() = 1");
    assertThat(r.trace.badLines()).extracting(StraceTrace.BadLine::line).containsExactly(2L, 4L);
    assertThat(r.trace.badLines().get(0).why()).isEqualTo("its time is 2299999999 s from the trace's first, more "
        + "than 1000000000 s (31 years)");
    assertThat(r.calls.get(1)).hasSize(2);
  }

  @Test
  void wallClockTimesOutOfRangeAndPastMidnightTooOften() throws IOException {
    Recorder r = parseLines("24:00:00.000000 getpid() = 1", "23:61:00.000000 getpid() = 1",
        "23:00:00.000000 getpid() = 1");
    assertThat(r.trace.badLines()).extracting(StraceTrace.BadLine::why).containsExactly(
        "hour 24 is out of range (0 to 23)", "minute 61 is out of range (0 to 59)");
    List<String> days = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      days.add((i % 2 == 0 ? "23:00:00.000000" : "01:00:00.000000") + " getpid() = 1");
    }
    Recorder many = new Recorder();
    StraceTrace t = StraceParser.parse(List.of(StraceParser.Source.of("days.txt", days)), many);
    // each midnight adds a day: past 1e9 s (11,574 days) from the first line the times are out of range
    assertThat(t.unreadable()).isEqualTo(100_000 - 2 * 11_575 + 1);
    assertThat(t.badLines().get(0).line()).isEqualTo(2 * 11_575);
    assertThat(t.badLines().get(0).why()).isEqualTo("its time is 1000000800 s from the trace's first, more than "
        + "1000000000 s (31 years)");
  }

  @Test
  void aLineLongerThanTheLimitIsBadAndTheNextIsRead() throws IOException {
    String huge = "1 1700000000.000000 write(1, \"" + "x".repeat(StraceParser.MAX_LINE) + "\", 5) = 5";
    Recorder r = parseLines(huge, "1 1700000000.100000 getpid() = 1");
    assertThat(r.trace.badLines()).singleElement().satisfies(b -> {
      assertThat(b.line()).isEqualTo(1);
      assertThat(b.why()).isEqualTo("longer than " + StraceParser.MAX_LINE + " characters");
      assertThat(b.text()).hasSize(StraceTrace.BadLine.SHOWN + 3);
    });
    assertThat(r.calls.get(1)).extracting(StraceCall::name).containsExactly("getpid");
  }

  @Test
  void badLinesAreCountedAllButKeptOnlyTheFirst() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3 * StraceParser.KEPT; i++) {
      lines.add("garbage \u0000\u0007 line " + i);
    }
    Recorder r = parseLines(lines.toArray(String[]::new));
    assertThat(r.trace.unreadable()).isEqualTo(3 * StraceParser.KEPT);
    assertThat(r.trace.badLines()).hasSize(StraceParser.KEPT);
    assertThat(r.trace.bad().more()).isEqualTo(2 * StraceParser.KEPT);
    assertThat(r.trace.badLines().get(0).text()).isEqualTo("garbage ?? line 0");
  }

  @Test
  void aResultReadsInLinearTimeWhateverFollowsIt() throws IOException {
    String parens = "(".repeat(200_000) + ")".repeat(200_000) + " x";
    Recorder r = parseLines("1 1700000000.000000 getpid() = 1 " + parens, "1 1700000000.000001 getpid() = 1 ("
        + ")".repeat(100_000) + " <0.000001>");
    assertThat(r.trace.unreadable()).isEqualTo(1);
    assertThat(r.calls.get(1)).singleElement().satisfies(c -> assertThat(c.durationNs()).isEqualTo(1000));
  }

  @Test
  void threadsBecomeSpawnsForksBecomeForksExecStartsAnImageAndGapsBecomeCompute() throws IOException {
    TracePrograms.Result r = TracePrograms.read(samples("threads-ttt-T.txt"));
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
    assertThat(spawn.program().name()).isEqualTo("thread 4101");
    assertThat(spawn.program().ops()).contains(new Op.Syscall("write", SyscallArgs.fd(1).size(4096)));
    // strace's name for a number it does not know: the number is a call (451, cachestat), not unknown
    assertThat(r.unknown()).doesNotContainKey("syscall_0x1c3");
    assertThat(r.counts()).containsEntry("cachestat", 1L).doesNotContainKey("syscall_0x1c3");
    assertThat(spawn.program().ops()).contains(new Op.Syscall("cachestat", SyscallArgs.NONE.errno(38)));
    assertThat(r.counts()).containsEntry("futex", 1L).containsEntry("write", 1L);
    assertThat(r.callCount()).isEqualTo(13);
    Program mmap = new Program("m", List.of(image.get(image.indexOf(new Op.Compute(990_000)) + 1)));
    assertThat(mmap.ops().get(0)).isEqualTo(new Op.Syscall("mmap", new SyscallArgs(SyscallArgs.NO_FD, 0,
        0x02 | 0x20 | 0x20000, 0, 8392704, 0).withFd(-1)));
    assertThat(r.threads()).extracting(Program::name).containsExactly("tid 4100", "tid 4101");
    assertThat(r.recordedNs()).isEqualTo(11_000_000);
    assertThat(r.warnings().isEmpty()).isTrue();
    TracePrograms.Result forks = TracePrograms.read(samples("perproc.8000", "perproc.8001"));
    assertThat(((Op.Exec) forks.root().ops().get(0)).image().ops()).anyMatch(o -> o instanceof Op.Fork);
  }

  @Test
  void aFailedCallFailsWithItsErrnoAndASuccessfulOneDoesNot() throws IOException {
    TracePrograms.Result r = TracePrograms.read(samples("threads-ttt-T.txt"));
    List<Op> image = ((Op.Exec) r.root().ops().get(0)).image().ops();
    assertThat(image).contains(new Op.Syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).errno(2)));
    assertThat(image).filteredOn(o -> o instanceof Op.Syscall s && s.name().equals("brk")).singleElement()
        .satisfies(o -> assertThat(((Op.Syscall) o).args().fails()).isFalse());
    TracePrograms.Result restart = TracePrograms.read(List.of(StraceParser.Source.of("t.txt", List.of(
        "1 1700000000.000000 read(0, 0x7ffd, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)",
        "1 1700000000.000001 read(0, 0x7ffd, 10) = -1 EWHATEVER (Made up)"))));
    assertThat(restart.root().ops()).filteredOn(o -> o instanceof Op.Syscall)
        .extracting(o -> ((Op.Syscall) o).args().errno()).containsExactly(512, 4095);
  }

  @Test
  void aRegionPastTheUserAddressSpaceIsReplayedWithoutIt() throws IOException {
    TracePrograms.Result r = TracePrograms.read(List.of(StraceParser.Source.of("m.txt", List.of(
        "1 1700000000.000000 munmap(0x7fffffffffff0000, 1048576) = 0",
        "1 1700000000.000000 mmap(0x10000, 9223372036854775807, PROT_READ, MAP_FIXED, -1, 0) = 0x10000",
        "1 1700000000.000000 munmap(0x10000, 4096) = 0"))));
    assertThat(r.root().ops()).containsExactly(new Op.Syscall("munmap"),
        new Op.Syscall("mmap", SyscallArgs.NONE.flags(0x10).withFd(-1)),
        new Op.Syscall("munmap", SyscallArgs.region(0x10000, 4096)));
    assertThat(r.warnings().first()).startsWith(
        "m.txt:1: munmap names the range 0x7fffffffffff0000 + 1048576, past the user address space "
            + "(0x800000000000); it is replayed without it",
        "m.txt:2: mmap names the range 0x10000 + 9223372036854775807, past the user address space (0x800000000000)"
            + "; it is replayed without it");
  }

  @Test
  void aTraceCutRightAfterACloneOrAnExecveIsReplayedAsFarAsItGoesWithWarnings() throws IOException {
    TracePrograms.Result r = TracePrograms.read(List.of(StraceParser.Source.of("cut.txt", List.of(
        "10 1700000000.000000 execve(\"/bin/sh\", [\"sh\"], 0x7ffe /* 3 vars */) = 0 <0.000300>",
        "10 1700000000.001000 clone(child_stack=NULL, flags=SIGCHLD) = 11 <0.000100>",
        "10 1700000000.002000 execve(\"/bin/x\", [\"x\"], 0x7ffe /* 3 vars */) = 0 <0.000300>"))));
    List<Op> first = ((Op.Exec) r.root().ops().get(0)).image().ops();
    Op.Fork fork = (Op.Fork) first.get(1);
    assertThat(fork.child().ops()).containsExactly(new Op.Compute(0));
    Op.Exec exec = (Op.Exec) first.get(first.size() - 1);
    assertThat(exec.image().ops()).containsExactly(new Op.Compute(0));
    assertThat(r.warnings().first()).containsExactly(
        "cut.txt:2: the pid this call creates, 11, makes no call (the trace ends first: cut off?); it is replayed "
            + "as doing nothing",
        "the trace ends while 1 thread still runs (10): cut off?");
    assertThat(r.threads()).hasSize(1);
  }

  @Test
  void aPidThatEndsAndIsForkedAgainIsANewProcess() throws IOException {
    TracePrograms.Result r = TracePrograms.read(List.of(StraceParser.Source.of("reuse.txt", List.of(
        "10 1700000000.000000 fork() = 11 <0.000001>",
        "11 1700000000.001000 getpid() = 11 <0.000001>",
        "11 1700000000.002000 exit_group(0) = ?",
        "11 1700000000.002001 +++ exited with 0 +++",
        "10 1700000000.003000 fork() = 11 <0.000001>",
        "11 1700000000.004000 getuid() = 0 <0.000001>",
        "11 1700000000.005000 exit_group(1) = ?",
        "10 1700000000.006000 exit_group(0) = ?"))));
    List<Op.Fork> forks = r.root().ops().stream().filter(o -> o instanceof Op.Fork).map(o -> (Op.Fork) o).toList();
    assertThat(forks).hasSize(2);
    assertThat(forks.get(0).child().ops()).contains(new Op.Syscall("getpid")).doesNotContain(new Op.Syscall("getuid"));
    assertThat(forks.get(1).child().ops()).contains(new Op.Syscall("getuid"), new Op.Exit(1));
    assertThat(r.threads()).extracting(Program::name).containsExactly("tid 10", "tid 11", "tid 11");
    assertThat(r.warnings().isEmpty()).isTrue();
  }

  @Test
  void aChildThatEndsBeforeItsCloneReturnsIsStillItsChild() throws IOException {
    TracePrograms.Result r = TracePrograms.read(List.of(StraceParser.Source.of("vfork.txt", List.of(
        "10 1700000000.000000 vfork( <unfinished ...>",
        "11 1700000000.001000 execve(\"/bin/true\", [\"true\"], 0x7ffe /* 3 vars */) = 0 <0.000100>",
        "11 1700000000.002000 exit_group(0) = ?",
        "11 1700000000.002001 +++ exited with 0 +++",
        "10 1700000000.003000 <... vfork resumed>) = 11 <0.003000>",
        "10 1700000000.004000 exit_group(0) = ?"))));
    assertThat(r.root().ops()).filteredOn(o -> o instanceof Op.Fork).singleElement()
        .satisfies(f -> assertThat(((Op.Fork) f).child().ops()).singleElement().isInstanceOf(Op.Exec.class));
    assertThat(r.warnings().isEmpty()).isTrue();
    assertThat(r.threads()).hasSize(2);
  }

  @Test
  void aProcessThatClonesItselfOrARunningPidMakesNoChild() throws IOException {
    TracePrograms.Result r = TracePrograms.read(List.of(StraceParser.Source.of("self.txt", List.of(
        "10 1700000000.000000 clone(child_stack=NULL, flags=SIGCHLD) = 10 <0.000001>",
        "10 1700000000.001000 clone(child_stack=NULL, flags=SIGCHLD) = 11 <0.000001>",
        "11 1700000000.002000 clone(child_stack=NULL, flags=SIGCHLD) = 10 <0.000001>",
        "11 1700000000.003000 clone(child_stack=NULL, flags=SIGCHLD) = 11 <0.000001>",
        "10 1700000000.004000 clone(child_stack=NULL, flags=SIGCHLD) = 11 <0.000001>",
        "10 1700000000.005000 clone(child_stack=NULL, flags=SIGCHLD) = 99999999 <0.000001>"))));
    assertThat(r.root().ops()).filteredOn(o -> o instanceof Op.Fork).hasSize(1);
    assertThat(r.warnings().first()).containsExactly(
        "self.txt:1: clone returns its own pid 10; no child",
        "self.txt:3: clone returns pid 10, the first process of its own tree; no child",
        "self.txt:4: clone returns its own pid 11; no child",
        "self.txt:5: clone returns pid 11, which runs already (created at self.txt:2); no child",
        "self.txt:6: clone returns pid 99999999, out of range (1 to 4194304); no child",
        "the trace ends while 2 threads still run (10, 11): cut off?");
  }

  @Test
  void aChainOfAHundredThousandForksIsBuiltWithoutRecursion() throws IOException {
    int depth = 100_000;
    List<String> lines = new ArrayList<>();
    for (int pid = 1; pid <= depth; pid++) {
      lines.add(pid + " 1700000000." + String.format("%06d", pid) + " clone(child_stack=NULL, flags=SIGCHLD) = "
          + (pid + 1) + " <0.000000>");
    }
    lines.add((depth + 1) + " 1700000001.000000 exit_group(7) = ?");
    TracePrograms.Result r = TracePrograms.read(List.of(StraceParser.Source.of("chain.txt", lines)));
    Program p = r.root();
    int levels = 0;
    for (Op fork = p.ops().get(0); fork instanceof Op.Fork f; fork = p.ops().get(p.ops().size() - 1)) {
      p = f.child();
      levels++;
    }
    assertThat(levels).isEqualTo(depth);
    // each created 1 us before its first call; the last computes until its exit at 1 s
    assertThat(p.ops()).containsExactly(new Op.Compute(1_000_000_000L - 1_000L * depth), new Op.Exit(7));
    assertThat(r.threads()).hasSize(depth + 1);
  }
}
