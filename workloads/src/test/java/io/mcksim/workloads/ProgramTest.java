package io.mcksim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramTest {

  @Test
  void builderReadsLikeTheProgram() {
    Program p = Program.named("x")
        .compute(1_000)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))
        .touch(0x10000, 8192, Access.WRITE)
        .exit(0)
        .build();

    assertThat(p.name()).isEqualTo("x");
    assertThat(p.ops()).containsExactly(
        new Op.Compute(1_000),
        new Op.Syscall("write", 1, new SyscallArgs(1, 4096, 0, 0x10000, 0, 0)),
        new Op.Touch(0x10000, 8192, Access.WRITE),
        new Op.Exit(0));
    assertThat(p.endsExplicitly()).isTrue();
    assertThat(p.ops().stream().map(Op::kind)).containsExactly("compute", "syscall", "touch", "exit");
  }

  @Test
  void syscallNumberIsFilledIn() {
    Op.Syscall call = new Op.Syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).flags(0x241));
    assertThat(call.number()).isEqualTo(257);
    assertThat(new Op.Syscall("getpid").args()).isEqualTo(SyscallArgs.NONE);
    assertThat(new Op.Syscall("get_cpu_id").number()).isEqualTo(700);
  }

  @Test
  void everyKindOfOpAndNesting() {
    Program thread = Program.named("worker").compute(500).build();
    Program child = Program.named("child").syscall("getpid").exit(3).build();
    Program image = Program.named("image").compute(1).build();
    Program p = Program.named("all")
        .spawnThread(thread)
        .fork(child)
        .repeat(10, body -> body.syscall("getpid").compute(100))
        .repeat(2, new Op.Syscall("sched_yield"))
        .exec(image)
        .build();

    assertThat(p.ops()).hasSize(5);
    assertThat(p.ops().get(0)).isEqualTo(new Op.SpawnThread(thread));
    assertThat(p.ops().get(1)).isEqualTo(new Op.Fork(child));
    assertThat(p.ops().get(2)).isEqualTo(new Op.Repeat(10, List.of(new Op.Syscall("getpid"), new Op.Compute(100))));
    assertThat(p.ops().get(4)).isEqualTo(new Op.Exec(image));
    assertThat(p.endsExplicitly()).isTrue();
    // spawn, fork, 10 x 2, 2 x 1, exec
    assertThat(p.unrolledLength()).isEqualTo(1 + 1 + 20 + 2 + 1);
  }

  @Test
  void aProgramWithoutExitEndsImplicitly() {
    Program p = Program.named("quiet").compute(10).build();
    assertThat(p.endsExplicitly()).isFalse();
    assertThat(Program.IMPLICIT_EXIT_STATUS).isZero();
  }

  @Test
  void opsAreImmutableCopies() {
    List<Op> ops = new ArrayList<>(List.of(new Op.Compute(1)));
    Program p = new Program("p", ops);
    ops.add(new Op.Exit(0));
    assertThat(p.ops()).hasSize(1);
    assertThatThrownBy(() -> p.ops().add(new Op.Exit(0))).isInstanceOf(UnsupportedOperationException.class);

    List<Op> body = new ArrayList<>(List.of(new Op.Compute(1)));
    Op.Repeat r = new Op.Repeat(3, body);
    body.clear();
    assertThat(r.body()).hasSize(1);
  }

  @Test
  void programsAreValues() {
    Program a = Programs.syscallLoop("getpid", 100);
    Program b = Program.named("syscall-loop:getpid").repeat(100, new Op.Syscall("getpid")).exit(0).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void syscallLoop() {
    Program p = Programs.syscallLoop("write", 1_000, SyscallArgs.fd(1).size(64).buffer(0x1000));
    assertThat(p.name()).isEqualTo("syscall-loop:write");
    assertThat(p.ops()).containsExactly(
        new Op.Repeat(1_000, List.of(new Op.Syscall("write", SyscallArgs.fd(1).size(64).buffer(0x1000)))),
        new Op.Exit(0));
    assertThat(p.unrolledLength()).isEqualTo(1_001);
    assertThatThrownBy(() -> Programs.syscallLoop("write", 0)).hasMessageContaining("at least 1 call, got 0");
    assertThatThrownBy(() -> Programs.syscallLoop("wirte", 5)).hasMessageContaining("did you mean write");
  }

  @Test
  void unrolledLengthSaturates() {
    Op.Repeat inner = new Op.Repeat(Integer.MAX_VALUE, List.of(new Op.Compute(1)));
    Op.Repeat outer = new Op.Repeat(Integer.MAX_VALUE, List.of(inner, inner));
    Program p = new Program("huge", List.of(new Op.Repeat(Integer.MAX_VALUE, List.of(outer)), new Op.Compute(1)));
    assertThat(p.unrolledLength()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void syscallArgsReadFluently() {
    SyscallArgs a = SyscallArgs.region(0x200000, 1 << 21).flags(0x22).withFd(SyscallArgs.NO_FD).offset(-8);
    assertThat(a).isEqualTo(new SyscallArgs(-1, 0, 0x22, 0x200000, 1 << 21, -8));
    assertThat(a.buffer(0x1000).address()).isEqualTo(0x1000);
    assertThat(SyscallArgs.none()).isSameAs(SyscallArgs.NONE);
    assertThat(SyscallArgs.fd(1).size(4096).buffer(0x10000).toString())
        .isEqualTo("(fd=1, size=4096, address=0x10000)");
    assertThat(SyscallArgs.NONE.toString()).isEqualTo("()");
    SyscallArgs failing = SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/x").errno(LinuxErrno.number("ENOENT"));
    assertThat(failing.fails()).isTrue();
    assertThat(failing.errno(0).fails()).isFalse();
    assertThat(failing.size(8).errno()).as("every copy keeps the error").isEqualTo(2);
    assertThat(failing.toString()).isEqualTo("(fd=-100, path=/x, errno=2)");
    assertThat(LinuxErrno.number("EWOULDBLOCK")).isEqualTo(LinuxErrno.number("EAGAIN")).isEqualTo(11);
    assertThat(LinuxErrno.number("ERESTARTSYS")).isEqualTo(512);
    assertThat(LinuxErrno.number("EMADEUP")).isEqualTo(LinuxErrno.UNKNOWN);
    assertThatThrownBy(() -> SyscallArgs.NONE.errno(4096)).hasMessage("syscall errno must be 0 (succeeds) to 4095, got 4096");
  }

  @Test
  void invalidOpsAreRejectedWithClearMessages() {
    assertThatThrownBy(() -> new Op.Compute(-1)).hasMessage("compute duration must not be negative, got -1ns");
    assertThatThrownBy(() -> SyscallArgs.fd(1).size(-1)).hasMessage("syscall size must not be negative, got -1");
    assertThatThrownBy(() -> SyscallArgs.NONE.length(-5)).hasMessage("syscall length must not be negative, got -5");
    assertThatThrownBy(() -> SyscallArgs.NONE.buffer(-5))
        .hasMessage("syscall buffer address must not be negative, got -5");
    assertThatThrownBy(() -> new Op.Touch(0x1000, 0, Access.READ))
        .hasMessage("touch length must be at least 1 byte, got 0");
    assertThatThrownBy(() -> new Op.Touch(-1, 10, Access.READ))
        .hasMessage("touch address must not be negative, got -1");
    assertThatThrownBy(() -> new Op.Touch(Long.MAX_VALUE - 5, 10, Access.READ))
        .hasMessageContaining("wraps past the end of the address space");
    assertThatThrownBy(() -> new Op.Touch(0, 10, null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("READ or WRITE");
    assertThatThrownBy(() -> new Op.Repeat(0, List.of(new Op.Compute(1))))
        .hasMessage("repeat count must be at least 1, got 0");
    assertThatThrownBy(() -> new Op.Repeat(3, List.of())).hasMessage("repeat body needs at least one op");
    assertThatThrownBy(() -> new Op.Exit(256)).hasMessage("exit status must be 0-255, got 256");
    assertThatThrownBy(() -> new Op.Exit(-1)).hasMessage("exit status must be 0-255, got -1");
    assertThatThrownBy(() -> new Op.Syscall("opne"))
        .hasMessageStartingWith("unknown syscall 'opne'; did you mean open, openat");
    assertThatThrownBy(() -> new Op.Syscall("write", 2, SyscallArgs.NONE))
        .hasMessage("syscall write has number 1, not 2");
    assertThatThrownBy(() -> new Op.Syscall("write", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Op.Fork(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void builderFailsOnTheLineOfTheMistake() {
    Program.Builder b = Program.named("p").compute(1);
    assertThatThrownBy(() -> b.syscall("getpdi")).hasMessageContaining("did you mean getpid");
    assertThatThrownBy(() -> b.compute(-3)).hasMessageContaining("must not be negative");
    // the failed calls added nothing
    assertThat(b.build().ops()).containsExactly(new Op.Compute(1));
  }

  @Test
  void invalidSequencesAreRejected() {
    assertThatThrownBy(() -> Program.named("empty").build()).hasMessage("program 'empty' needs at least one op");
    assertThatThrownBy(() -> Program.named(" ").compute(1).build()).hasMessage("a program needs a name");
    assertThatThrownBy(() -> Program.named("late").exit(0).compute(5).build())
        .hasMessage("program 'late': op 1 (compute) never runs, since op 0 (exit) ends the sequence");
    Program image = Program.named("img").compute(1).build();
    assertThatThrownBy(() -> Program.named("late").exec(image).syscall("getpid").build())
        .hasMessage("program 'late': op 1 (syscall) never runs, since op 0 (exec) ends the sequence");
    assertThatThrownBy(() -> Program.named("r").repeat(3, body -> body.compute(1).exit(0)).build())
        .hasMessage("a repeat of 3 ends its first pass with exit, so passes 2 to 3 never run");
    assertThatThrownBy(() -> Program.named("r").repeat(1, body -> body.exit(0).compute(1)).build())
        .hasMessage("repeat body: op 1 (compute) never runs, since op 0 (exit) ends the sequence");
    // a repeat that ends the program is itself terminal
    assertThatThrownBy(() -> Program.named("r").repeat(1, body -> body.exit(0)).compute(1).build())
        .hasMessage("program 'r': op 1 (compute) never runs, since op 0 (repeat) ends the sequence");
    List<Op> withNull = new ArrayList<>();
    withNull.add(new Op.Compute(1));
    withNull.add(null);
    assertThatThrownBy(() -> new Program("n", withNull)).hasMessage("program 'n': op 1 is null");
  }

  @Test
  void aSingleRepeatMayEndTheProgram() {
    Program p = Program.named("once").repeat(1, body -> body.compute(1).exit(7)).build();
    assertThat(p.endsExplicitly()).isTrue();
  }
}
