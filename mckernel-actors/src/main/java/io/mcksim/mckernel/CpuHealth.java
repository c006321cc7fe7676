package io.mcksim.mckernel;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.ikc.IkcPacket;

/**
 * Whether one McKernel CPU still runs, and the monitor word Linux reads from it. A CPU that panics
 * ({@link McKernelCpu.Panic}) stops for good: its monitor word reads PANIC and McKernel raises the
 * instance's status notice, which reaches the IHK side (the CPU's monitor) after the IKC latency. A CPU
 * that hangs ({@link McKernelCpu.Hang}) stops silently: its word stays in the kernel with a counter that
 * no longer moves, which only ihkmond's poll ({@link McKernelCpu.ReadMonitor}) finds. A CPU IHK halts
 * ({@link McKernelCpu.Halt}: the shutdown or destruction of its instance) stops and its threads are
 * gone. A stopped CPU takes no event but the monitor's reads; IKC packets that still reach it are
 * counted as arrived and read by nobody.
 */
final class CpuHealth {

  /** How a panic's crash starts its cause, as IHK's master reads it. */
  static final String PANIC_CAUSE = "PANIC: ";

  /** The CPU's state as the monitor word shows it. */
  enum State { RUNNING, PANIC, HUNG, HALTED }

  private final McKernelCpu cpu;
  private State state = State.RUNNING;
  /** The monitor word's counter: bumped by every event the running kernel handles. */
  private long counter;
  /** IKC packets that reached this CPU after it stopped. */
  long packetsWhileStopped;
  /** The IHK side that learns of a panic, or -1. */
  int monitor = -1;
  long noticeNs = 1;

  CpuHealth(McKernelCpu cpu) {
    this.cpu = cpu;
  }

  State state() {
    return state;
  }

  /** The running kernel handled one more event of its own (a step taken in closed form): as {@link #handles}. */
  void handledStep() {
    counter++;
  }

  /** {@code n} steps handled, as {@code n} calls of {@link #handledStep}. */
  void handledSteps(long n) {
    counter += n;
  }

  /**
   * Whether the kernel on this CPU handles {@code payload}: only while it runs. The monitor's reads are
   * answered here whatever the state (Linux reads the word from memory).
   */
  boolean handles(SimContext ctx, int source, Object payload) {
    if (payload instanceof McKernelCpu.ReadMonitor r) {
      ctx.send(source, noticeNs, 0, new McKernelCpu.MonitorWord(cpu.index, r.round(), shown(), counter));
      return false;
    }
    if (state == State.RUNNING) {
      if (payload instanceof McKernelCpu.Panic) {
        panic(ctx);
        return false;
      }
      if (payload instanceof McKernelCpu.Hang) {
        state = State.HUNG;
        cpu.clock.cancel();
        return false;
      }
      if (payload instanceof McKernelCpu.Halt) {
        halt();
        return false;
      }
      counter++;
      return true;
    }
    if (payload instanceof McKernelCpu.Halt) {
      halt();
    } else if (payload instanceof IkcPacket) {
      packetsWhileStopped++;
    }
    return false;
  }

  /** What the monitor word shows: PANIC, a kernel state that does not move (hung), or running. */
  private String shown() {
    return switch (state) {
      case PANIC -> "PANIC";
      case HUNG -> "KERNEL";
      case HALTED -> "HALTED";
      default -> cpu.execution.running() == null ? "IDLE" : "USER";
    };
  }

  /**
   * panic(): the CPU stops for good. On a node IHK boots, the CPU's OS instance supervises it: the panic
   * is the engine's crash of this CPU ({@link SimContext#crash}), which the instance escalates as its
   * own PANIC to IHK's master. Elsewhere the CPU raises the instance's status notice to its monitor.
   */
  private void panic(SimContext ctx) {
    state = State.PANIC;
    cpu.clock.cancel();
    if (cpu.lifecycle != null && cpu.lifecycle.costs != null) {
      ctx.crash(PANIC_CAUSE + "McKernel CPU " + cpu.index + " panicked");
    }
    if (monitor >= 0) {
      ctx.send(monitor, noticeNs, 0, new McKernelCpu.StatusNotice(cpu.index, "PANIC"));
    }
  }

  /** IHK stops the CPU (shutdown, destruction). */
  void halt() {
    state = State.HALTED;
    cpu.clock.cancel();
  }

  /** IHK brings the CPU up: a CPU it had stopped runs again; one that panicked or hung stays as it is. */
  void bringUp() {
    if (state == State.HALTED) {
      state = State.RUNNING;
    }
  }
}
