package io.mcksim.workloads;

import java.util.List;

/** Ready-made programs for common workloads. */
public final class Programs {

  private Programs() {
  }

  /**
   * The syscall microbenchmark's program: {@code n} calls of {@code syscall} with {@code args}, back to
   * back, then {@code exit(0)}. Its name is {@code syscall-loop:<syscall>}.
   *
   * @throws IllegalArgumentException for an unknown syscall (with its near matches) or {@code n < 1}
   */
  public static Program syscallLoop(String syscall, int n, SyscallArgs args) {
    Op.Syscall call = new Op.Syscall(syscall, args);
    if (n < 1) {
      throw new IllegalArgumentException("a syscall loop needs at least 1 call, got " + n);
    }
    return Program.named("syscall-loop:" + syscall).op(new Op.Repeat(n, List.of(call))).exit(0).build();
  }

  /** {@link #syscallLoop(String, int, SyscallArgs)} for a call without arguments. */
  public static Program syscallLoop(String syscall, int n) {
    return syscallLoop(syscall, n, SyscallArgs.NONE);
  }
}
