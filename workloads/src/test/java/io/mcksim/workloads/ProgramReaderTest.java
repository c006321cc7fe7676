package io.mcksim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mcksim.config.ConfigProblem;
import io.mcksim.config.ScenarioException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgramReaderTest {

  private static Config file(String resource) throws URISyntaxException {
    Path path = Path.of(ProgramReaderTest.class.getResource("/" + resource).toURI());
    return ConfigFactory.parseFile(path.toFile());
  }

  @Test
  void aListedProgramsSignalsAreReadInTimeOrderAndAnyCase() {
    Config c = ConfigFactory.parseString("p = [ { name = a, ops = [ { exit = 0 } ], signals = ["
        + " { at = 2ms, signal = SIGTERM }, { at = 500us, signal = sigkill }, { at = 1ms, signal = Sigchld } ] },"
        + " { name = b, ops = [ { exit = 0 } ] } ]");
    List<ProgramReader.Listed> listed = ProgramReader.listedFromConfig(c, "p");
    assertThat(listed.get(0).signals()).containsExactly(new Signals.Timed(500_000, 9),
        new Signals.Timed(1_000_000, 17), new Signals.Timed(2_000_000, 15));
    assertThat(listed.get(1).signals()).isEmpty();
  }

  @Test
  void aTimedSignalThatIsNoSignalOrAStopSignalIsRefusedWithTheNearestName() {
    Config c = ConfigFactory.parseString("p = [ { ops = [ { exit = 0 } ], signals = ["
        + " { at = 1ms, signal = SIGUSR3 }, { at = 1ms, signal = SIGSTOP }, { at = 1ms, signal = 15 } ] } ]");
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ProgramReader.listedFromConfig(c, "p"));
    assertThat(e.problems()).hasSize(3);
    assertThat(e.problems().get(0).message()).contains("got SIGUSR3", "did you mean 'SIGUSR");
    assertThat(e.problems().get(1).path()).isEqualTo("p[0].signals[1].signal");
    assertThat(e.getMessage()).contains("a signal name such as SIGTERM");
  }

  @Test
  void readsTheOpsThatBlockAndSignalAsStraceNamesThem() {
    Config c = ConfigFactory.parseString("ops = [\n"
        + " { rt_sigaction = SIGUSR1, handler = [ { compute = 1us } ] }\n"
        + " { rt_sigaction = sigterm, handler = SIG_IGN }, { rt_sigaction = SIGINT, handler = default }\n"
        + " { futex = wait, address = 0x20000 }, { futex = FUTEX_WAKE_PRIVATE, address = 128K, count = 2 }\n"
        + " { futex = wake, address = 0x20000 }\n"
        + " { kill = self, signal = SIGUSR1 }, { kill = 1003, signal = SIGTERM }, { tgkill = main, signal = SIGUSR2 }\n"
        + " ]");
    Program p = ProgramReader.fromConfig(c);
    Program handler = new Program("main.handler", List.of(new Op.Compute(1_000)));
    assertThat(p.ops()).containsExactly(
        new Op.SigAction(10, Op.SigAction.Action.HANDLE, handler),
        new Op.SigAction(15, Op.SigAction.Action.IGNORE, null),
        new Op.SigAction(2, Op.SigAction.Action.DEFAULT, null),
        Op.Futex.waitOn(0x20000), Op.Futex.wake(0x20000, 2), Op.Futex.wake(0x20000, 1),
        new Op.Kill("self", 0, 10), new Op.Kill("pid", 1003, 15), new Op.Tgkill("main", 0, 12));
    assertThat(p.work().ops()).as("the handler's op counts").isEqualTo(10);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{ futex = sleep, address = 0x20000 }|ops[0].futex|expected wait or wake (FUTEX_WAIT or FUTEX_WAKE), got sleep",
      "{ futex = wait }|ops[0].address|missing; a futex names its word",
      "{ futex = wait, address = 0x20000, count = 2 }|ops[0].count|a futex wait takes no count",
      "{ futex = wake, address = 0x20000, count = 0 }|ops[0].count|0 is out of range",
      "{ kill = someone, signal = SIGTERM }|ops[0].kill|expected self, parent, child or a pid",
      "{ kill = self }|ops[0].signal|missing; expected a signal name",
      "{ tgkill = main, signal = SIGFOO }|ops[0].signal|expected a signal name such as SIGTERM",
      "{ rt_sigaction = SIGKILL, handler = ignore }|ops[0].rt_sigaction|SIGKILL cannot be caught or ignored",
      "{ rt_sigaction = SIGUSR1 }|ops[0].handler|missing; expected a handler program",
      "{ rt_sigaction = SIGUSR1, handler = catch }|ops[0].handler|expected a handler program [ { ... }, ... ], "
          + "ignore (SIG_IGN) or default (SIG_DFL), got catch",
  })
  void aMalformedBlockingOrSignalOpNamesThePlaceAndTheFix(String op, String path, String message) {
    Config c = ConfigFactory.parseString("ops = [ " + op + " ]");
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ProgramReader.fromConfig(c));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).path()).isEqualTo(path);
    assertThat(e.problems().get(0).message()).contains(message);
  }

  @Test
  void readsEveryKindOfOp() throws Exception {
    List<Program> programs = ProgramReader.listFromConfig(file("good-programs.conf"), "workload.programs");

    Program expected = Program.named("writer")
        .compute(10_000)
        .compute(250)
        .compute(1_500)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))
        .syscall("mmap", SyscallArgs.region(0x200000, 2L << 20).flags(0x22).withFd(-1))
        .syscall("lseek", SyscallArgs.fd(3).offset(-16))
        .syscall("getpid")
        .touch(0x10000, 8192, Access.WRITE)
        .touch(4096, 1, Access.READ)
        .repeat(100, body -> body.syscall("sched_yield").compute(1_000))
        .spawnThread(Program.named("worker").compute(5_000_000).build())
        .fork(Program.named("writer.fork").syscall("getppid").exit(2).build())
        .exec(Program.named("next").exit(0).build())
        .build();
    assertThat(programs).hasSize(2);
    assertThat(programs.get(0)).isEqualTo(expected);
    assertThat(programs.get(1)).isEqualTo(Program.named("program-1").syscall("get_cpu_id").build());
  }

  @Test
  void readsTheExampleOfTheIssue() {
    Config c = ConfigFactory.parseString("""
        ops = [ {compute = 10us}, {syscall = write, fd = 1, size = 4096, buffer = 0x10000},
                {touch = 0x10000, length = 8192, access = write},
                {repeat = 100, ops = [ {syscall = getpid} ]}, {exit = 0} ]
        """);
    Program p = ProgramReader.fromConfig(c);
    assertThat(p).isEqualTo(Program.named("main")
        .compute(10_000)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))
        .touch(0x10000, 8192, Access.WRITE)
        .repeat(100, body -> body.syscall("getpid"))
        .exit(0)
        .build());
  }

  @Test
  void reportsEveryProblemAtOnceWithLineAndPath() throws Exception {
    ScenarioException e = catchThrowableOfType(ScenarioException.class,
        () -> ProgramReader.listFromConfig(file("bad-programs.conf"), "workload.programs"));

    List<String> lines = e.problems().stream()
        .map(p -> p.origin().replaceFirst(".*bad-programs\\.conf", "bad-programs.conf") + " " + p.path())
        .toList();
    assertThat(lines).containsExactly(
        "bad-programs.conf:9 workload.programs[0].ops[2].compute",
        "bad-programs.conf:10 workload.programs[0].ops[3].syscall",
        "bad-programs.conf:11 workload.programs[0].ops[4].length",
        "bad-programs.conf:12 workload.programs[0].ops[5].repeat",
        "bad-programs.conf:13 workload.programs[0].ops[6]",
        "bad-programs.conf:14 workload.programs[0].ops[7].acess",
        "bad-programs.conf:14 workload.programs[0].ops[7].access",
        "bad-programs.conf:20 workload.programs[1].ops[0]",
        "bad-programs.conf:21 workload.programs[1].ops[1].exit",
        "bad-programs.conf:22 workload.programs[1].ops[2].repeat",
        "bad-programs.conf:28 workload.programs[2].ops[1]");
    assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
        "a duration must not be negative, got -5us",
        "unknown syscall 'opne'; did you mean open, openat, " + String.join(", ",
            LinuxSyscalls.nearMatches("opne").subList(2, 5)) + "?",
        "0 is out of range; expected a length of at least 1 byte (at most 128 TiB)",
        "0 is out of range; expected a repeat count of at least 1",
        "an op has exactly one kind; got compute and exit",
        "unknown key for a touch op; known keys: length, access; did you mean 'access'?",
        "missing; expected read or write",
        "an op needs one kind key of compute, syscall, touch, spawn-thread, fork, exec, exit, exit_group, repeat, futex, kill, tgkill, rt_sigaction; "
            + "got keys [sycall]; did you mean 'syscall' instead of 'sycall'?",
        "300 is out of range; expected an exit status 0-255",
        "a repeat of 3 whose body ends with exit never gets past its first pass; use repeat = 1 or move "
            + "the exit after the repeat",
        "this syscall never runs: the exit before it ends the sequence");
    assertThat(e.getMessage())
        .startsWith("11 problems in the scenario:")
        .contains("bad-programs.conf:10: workload.programs[0].ops[3].syscall: unknown syscall 'opne'; "
            + "did you mean open, openat, ");
  }

  @Test
  void keyPathPrefixesTheProblems() {
    Config c = ConfigFactory.parseString("name = p\nops = [\n  { syscall = wirte }\n]\n");
    ScenarioException e = catchThrowableOfType(ScenarioException.class,
        () -> ProgramReader.fromConfig(c, "workload.programs[4]"));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).path()).isEqualTo("workload.programs[4].ops[0].syscall");
    assertThat(e.problems().get(0).origin()).isEqualTo("String:3");
    assertThat(e.problems().get(0).message()).startsWith("unknown syscall 'wirte'; did you mean write");
  }

  @Test
  void aSyscallCanNameAPathAndABadOneIsAProblem() {
    Program p = ProgramReader.fromConfig(ConfigFactory.parseString(
        "name = p\nops = [ { syscall = openat, fd = -100, path = \"/proc/self/status\", buffer = 0x10000 } ]"));
    assertThat(p).isEqualTo(Program.named("p").syscall("openat",
        SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/proc/self/status").buffer(0x10000)).build());
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ProgramReader.fromConfig(
        ConfigFactory.parseString("name = p\nops = [ { syscall = openat, path = [1] } ]"), "w"));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).path()).isEqualTo("w.ops[0].path");
    assertThat(e.problems().get(0).message()).startsWith("expected a path such as \"/proc/self/status\"");
  }

  @Test
  void readAddsToTheCallersProblems() {
    List<ConfigProblem> problems = new ArrayList<>();
    problems.add(new ConfigProblem("x.conf:1", "run.seed", "the caller's own"));
    Program bad = ProgramReader.read(ConfigFactory.parseString("ops = [ { compute = soon } ]"), "w", problems);
    Program good = ProgramReader.read(ConfigFactory.parseString("ops = [ { compute = 1 } ]"), "w", problems);
    assertThat(bad).isNull();
    assertThat(good).isEqualTo(Program.named("main").compute(1).build());
    assertThat(problems).hasSize(2);
    assertThat(problems.get(1).path()).isEqualTo("w.ops[0].compute");
    assertThat(problems.get(1).message()).startsWith("expected a duration such as 10us");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "ops = [] | ops       | program 'main' needs at least one op",
      "name = x | ops       | missing; a program is",
      "ops = 5 | ops       | expected a list of ops",
      "ops = [ 5 ] | ops[0]    | expected an op such as",
      "ops = [ {} ] | ops[0]    | an op needs one kind key of compute",
      "ops = [ { compute = 1 } ], nmae = x | nmae      | unknown key in a program; known keys: name, ops; did you mean 'name'?",
      "ops = [ { compute = 1 } ], name = [ 1 ] | name      | expected a program name",
      "ops = [ { compute = 1.5 } ] | ops[0].compute | a bare number is nanoseconds and must be whole",
      "ops = [ { compute = true } ] | ops[0].compute | expected a duration",
      "ops = [ { compute = 1, size = 3 } ] | ops[0].size | unknown key for a compute op; it takes none besides compute",
      "ops = [ { syscall = 7 } ] | ops[0].syscall | expected a syscall name such as write, got 7",
      "ops = [ { syscall = write, size = -1 } ] | ops[0].size | -1 is out of range; expected a byte count (0 to 128 TiB)",
      "ops = [ { syscall = write, size = lots } ] | ops[0].size | expected a byte count (0 to 128 TiB) such as 4096, 0x10000 or 4K, got lots",
      "ops = [ { syscall = write, buffer = 1, address = 2 } ] | ops[0].address | give the user buffer as buffer or as address, not both",
      "ops = [ { syscall = write, fd = 4K } ] | ops[0].fd | expected a file descriptor, got 4K",
      "ops = [ { syscall = write, fd = 3000000000 } ] | ops[0].fd | 3000000000 is out of range",
      "ops = [ { syscall = write, sise = 4 } ] | ops[0].sise | unknown key for a syscall op; known keys: fd, size, flags, buffer, address, length, offset, path; did you mean 'size'?",
      "ops = [ { touch = 0x1000, access = read } ] | ops[0].length | missing; expected a length of at least 1 byte",
      "ops = [ { touch = 0x1000, length = 1, access = rw } ] | ops[0].access | expected read or write, got rw",
      "ops = [ { touch = 0x1000, length = 0x7fffffffffffffff, access = read } ] | ops[0].length | 0x7fffffffffffffff is out of range; expected a length of at least 1 byte (at most 128 TiB)",
      "ops = [ { touch = 0x7fffffff0000, length = 1M, access = read } ] | ops[0].length | the range 0x7fffffff0000 + 1048576 ends past the user address space (0x800000000000, 128 TiB)",
      "ops = [ { syscall = munmap, address = 0x7fffffffffff0000, length = 1M } ] | ops[0].address | 0x7fffffffffff0000 is out of range; expected a user address",
      "ops = [ { syscall = munmap, address = 0x7ffffff00000, length = 2M } ] | ops[0].length | the range 0x7ffffff00000 + 2097152 ends past the user address space",
      "ops = [ { syscall = write, size = 256T } ] | ops[0].size | 256T is out of range; expected a byte count (0 to 128 TiB)",
      "ops = [ { repeat = 2 } ] | ops[0].ops | missing; a repeat is",
      "ops = [ { repeat = 2, ops = [] } ] | ops[0].ops | a repeat body needs at least one op",
      "ops = [ { exit = -1 } ] | ops[0].exit | -1 is out of range; expected an exit status 0-255",
      "ops = [ { fork = 3 } ] | ops[0].fork | expected a program { name = ..., ops = [ ... ] }, got 3",
      "ops = [ { fork = { ops = [ { exit = 0 }, { exit = 1 } ] } } ] | ops[0].fork.ops[1] | this exit never runs: the exit before it ends the sequence",
  })
  void singleMistakes(String text, String path, String message) {
    ScenarioException e = catchThrowableOfType(ScenarioException.class,
        () -> ProgramReader.fromConfig(ConfigFactory.parseString(text)));
    assertThat(e).as("no problem found in %s", text).isNotNull();
    assertThat(e.problems()).as(e.getMessage()).hasSize(1);
    assertThat(e.problems().get(0).path()).isEqualTo(path);
    assertThat(e.problems().get(0).message()).startsWith(message);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "4096 | 4096", "0x10000 | 65536", "0X1f | 31", "4K | 4096", "4KiB | 4096", "2M | 2097152",
      "1G | 1073741824", "1GiB | 1073741824", "1T | 1099511627776", "\"512 B\" | 512"})
  void quantities(String written, long bytes) {
    Program p = ProgramReader.fromConfig(ConfigFactory.parseString(
        "ops = [ { touch = " + written + ", length = " + written + ", access = read } ]"));
    assertThat(p.ops()).containsExactly(new Op.Touch(bytes, bytes, Access.READ));
  }

  @Test
  void aListThatIsNotThereOrNotAList() {
    assertThatThrownBy(() -> ProgramReader.listFromConfig(ConfigFactory.parseString("a = 1"), "workload.programs"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("workload.programs: missing; expected a list of programs");
    assertThatThrownBy(() -> ProgramReader.listFromConfig(ConfigFactory.parseString("p = 1"), "p"))
        .hasMessageContaining("String:1: p: expected a list of programs");
    assertThatThrownBy(() -> ProgramReader.listFromConfig(ConfigFactory.parseString("p = [ 1 ]"), "p"))
        .hasMessageContaining("p[0]: expected a program { name = ..., ops = [ ... ] }, got 1");
  }

  /** Programs nested {@code levels} deep: each a fork of a program with one compute and the next fork. */
  private static String forkChain(int levels) {
    return "ops = [ " + "{ fork = { ops = [ { compute = 1 }, ".repeat(levels) + "{ compute = 1 }"
        + " ] } }".repeat(levels) + " ]";
  }

  @Test
  void programsNestAtMostTheDocumentedDepth() {
    Program p = ProgramReader.fromConfig(ConfigFactory.parseString(forkChain(ProgramReader.MAX_DEPTH)));
    assertThat(p.work().ops()).isEqualTo(2L * ProgramReader.MAX_DEPTH + 1);
    ScenarioException e = catchThrowableOfType(ScenarioException.class,
        () -> ProgramReader.fromConfig(ConfigFactory.parseString(forkChain(ProgramReader.MAX_DEPTH + 1))));
    assertThat(e.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.path()).startsWith("ops[0].fork.ops[1].fork").endsWith(".fork");
      assertThat(problem.message()).startsWith("nested 101 deep: programs and repeats (fork, spawn-thread, exec, "
          + "repeat inside each other) nest at most 100 deep");
    });
    String repeats = "ops = [ " + "{ repeat = 1, ops = [ ".repeat(101) + "{ compute = 1 }" + " ] }".repeat(101) + " ]";
    assertThatThrownBy(() -> ProgramReader.fromConfig(ConfigFactory.parseString(repeats)))
        .hasMessageContaining("nest at most 100 deep");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "ops = [ { repeat = 2147483647, ops = [ { syscall = getpid } ] } ] | the program runs 2,147,483,647 ops "
          + "(repeats unrolled, forked, spawned and exec'd programs included), more than the 10,000,000 a run may take",
      "ops = [ { repeat = 5000, ops = [ { fork = { ops = [ { repeat = 5000, ops = [ { compute = 1 } ] } ] } } ] } ] "
          + "| the program runs 25,005,000 ops",
      "ops = [ { touch = 0, length = 8T, access = write } ] | the program names 2,147,483,648 pages of 4 KiB",
      "ops = [ { repeat = 1000000, ops = [ { syscall = write, size = 1G } ] } ] | the program names 262,144,000,000 "
          + "pages",
      "ops = [ { repeat = 40, ops = [ { compute = 10d } ] } ] | the program computes for 34,560,000,000,000,000 ns",
      "ops = [ { repeat = 2147483647, ops = [ { repeat = 2147483647, ops = [ { repeat = 2147483647, ops = [ { compute "
          + "= 1000000000000000000 } ] } ] } ] } ] | the program computes for more than 2^63 ns",
  })
  void whatAProgramDoesInAllIsBounded(String text, String message) {
    ScenarioException e = catchThrowableOfType(ScenarioException.class,
        () -> ProgramReader.fromConfig(ConfigFactory.parseString(text), "w"));
    assertThat(e).as(text).isNotNull();
    assertThat(e.problems()).anySatisfy(problem -> {
      assertThat(problem.path()).isEqualTo("w");
      assertThat(problem.message()).startsWith(message);
    });
  }

  @Test
  void aListIsBoundedInAll() {
    String one = "{ ops = [ { repeat = 6000000, ops = [ { syscall = getpid } ] } ] }";
    assertThat(ProgramReader.listFromConfig(ConfigFactory.parseString("p = [ " + one + " ]"), "p")).hasSize(1);
    assertThatThrownBy(() -> ProgramReader.listFromConfig(ConfigFactory.parseString("p = [ " + one + ", " + one
        + " ]"), "p")).hasMessageContaining("p: the 2 programs run 12,000,000 ops");
  }

  @Test
  void nestingOfAnyDepthIsWalkedWithoutRecursion() throws Exception {
    // on a small stack, where recursing a level per frame would overflow
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        List<Op> body = List.of(new Op.Compute(1));
        Program inner = new Program("p", body);
        for (int i = 0; i < 20_000; i++) {
          body = List.of(new Op.Repeat(1, body));
          inner = new Program("p", List.of(new Op.Compute(1), new Op.Fork(inner)));
        }
        Program p = new Program("p", List.of(new Op.Repeat(2, body), new Op.Fork(inner), new Op.Exit(0)));
        assertThat(p.endsExplicitly()).isTrue();
        assertThat(p.unrolledLength()).isEqualTo(2 + 1 + 1);
        assertThat(p.work()).isEqualTo(new Program.Work(2 + 1 + 1 + 2 * 20_000 + 1, 0, 2 + 20_001));
        assertThat(new Program("q", List.of(new Op.Repeat(1, List.of(new Op.Repeat(1, List.of(new Op.Exit(0)))))))
            .endsExplicitly()).isTrue();
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "small-stack", 256 * 1024);
    t.start();
    t.join();
    assertThat(failure[0]).isNull();
  }
}
