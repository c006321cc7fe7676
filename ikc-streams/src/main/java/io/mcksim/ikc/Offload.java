package io.mcksim.ikc;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.serialization.SimMessage;

/** The offload protocol: the messages between McKernel's and Linux's sides of an offloaded system call, a remote page fault, a /proc read, a launch and a signal. */
public final class Offload {

  private Offload() {}

  /**
   * mcctrl hands an offload request to the process's proxy.
   *
   * @param request the SYSCALL_ONESIDE packet (pid, tid, McKernel CPU, syscall number, argument)
   * @param replyTo the entity of the McKernel CPU whose thread waits (spins) for the result
   */
  public record Dispatch(IkcPacket request, int replyTo) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return request.fingerprint() * 31 + replyTo;
    }
  }

  /**
   * mcctrl wrote the result into the waiting McKernel thread's memory.
   *
   * @param tid    the thread that waits
   * @param ret    the return value
   * @param signal 0, or the signal that killed the proxy (its McKernel process dies with it; the call
   *               returns -ERESTARTSYS)
   */
  public record Return(int tid, long ret, int signal) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) tid << 32) ^ ret ^ ((long) signal << 56));
    }
  }

  /** -ERESTARTSYS: what an offloaded call returns when its proxy is gone. */
  public static final long ERESTARTSYS = -512;

  /** SIGBUS: what a proxy gets when McKernel cannot resolve a page it touched. */
  public static final int SIGBUS = 7;

  /**
   * The proxy touched a user page it has not mapped: mcctrl must ask McKernel.
   *
   * @param cpu     the McKernel CPU of the thread whose call the proxy serves
   * @param address the page's address
   * @param proxy   the proxy's entity, for the answer
   */
  public record FaultRequest(int pid, int tid, int cpu, long address, int proxy)
      implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) tid << 32) ^ address) + cpu;
    }
  }

  /** McKernel's answer, back in the proxy: the page is mapped, or it could not be resolved. */
  public record FaultResolved(int tid, long address, boolean ok) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) tid << 32) ^ address) ^ (ok ? 1 : 0);
    }
  }

  /**
   * The proxy reads a /proc or /sys file McKernel provides: mcctrl's read callback must ask McKernel.
   *
   * @param cpu    the McKernel CPU of the thread whose read the proxy serves
   * @param file   the view file's id
   * @param offset where the read starts in the file
   * @param size   the bytes asked for
   * @param proxy  the proxy's entity, for the answer
   */
  public record ProcfsRequest(int pid, int tid, int cpu, int file, long offset, long size, int proxy)
      implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) tid << 32) ^ offset ^ ((long) file << 56)) + size + cpu;
    }
  }

  /** McKernel's answer, back in the proxy: {@code bytes} of the file from the read's offset. */
  public record ProcfsAnswered(int tid, long bytes) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) tid << 32) ^ bytes) ^ 0x9F;
    }
  }

  /**
   * The McKernel process has exited (its last thread did; exit_group, offloaded): the proxy exits
   * with the same status, or dies of the same signal, and its launcher sees it.
   */
  public record ProcessExited(int status, int signal) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) signal << 32) ^ status;
    }
  }

  /** A McKernel fork made this proxy slot the child's proxy: mcexec forked along with it. */
  public record ProxyForked(int parentPid) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return parentPid;
    }
  }

  /** mcexec asks mcctrl to have McKernel prepare its process on these McKernel CPUs. */
  public record Launch(int pid, java.util.List<Integer> cpus) implements Fingerprinted, SimMessage {
    public Launch {
      cpus = java.util.List.copyOf(cpus);
    }

    @Override
    public long fingerprint() {
      return RandomStreams.mix64(pid) ^ cpus.hashCode();
    }
  }

  /** McKernel prepared the process (PREPARE_PROCESS_ACKED, relayed by mcctrl). */
  public record Prepared(int pid) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return pid;
    }
  }

  /**
   * mcexec asks mcctrl to have McKernel schedule its prepared process, its threads from their program's
   * {@code start}-th top-level step (mcexec's argument; 0 from the beginning).
   */
  public record Schedule(int pid, java.util.List<Integer> cpus, int start) implements Fingerprinted, SimMessage {
    public Schedule {
      cpus = java.util.List.copyOf(cpus);
    }

    public Schedule(int pid, java.util.List<Integer> cpus) {
      this(pid, cpus, 0);
    }

    @Override
    public long fingerprint() {
      return ~RandomStreams.mix64(pid) ^ cpus.hashCode() ^ (long) start << 40;
    }
  }

  /** A signal sent to the process from Linux (to its proxy's pid): the proxy relays it to McKernel. */
  public record Signal(int signal) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return signal;
    }
  }

  /** The proxy asks mcctrl to relay {@code signal} to McKernel CPU {@code cpu}, where its process runs. */
  public record RelaySignal(int pid, int signal, int cpu) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(pid) ^ ((long) signal << 40) ^ cpu;
    }
  }

  /**
   * The dead proxy's device file is released: mcctrl's release handler has McKernel clean the process up
   * (CLEANUP_PROCESS to McKernel CPU {@code cpu}, where its main thread was scheduled) and waits for the
   * answer. Sent as an ask: the answer is {@link Released}; a lost packet ends the wait by its timeout
   * ({@link #RELEASE_WAIT_NS}).
   */
  public record Release(int pid, int cpu) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(~pid) ^ cpu;
    }
  }

  /** McKernel answered the release's CLEANUP_PROCESS (CLEANUP_PROCESS_RESP): the release handler returns. */
  public record Released(int pid) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ~(long) pid << 8;
    }
  }

  /**
   * How long mcctrl's release handler waits for McKernel's answer to CLEANUP_PROCESS before it gives up
   * (the driver busy-waits 5,000 ms, a constant of its code, then logs a warning and goes on).
   */
  public static final long RELEASE_WAIT_NS = 5_000_000_000L;

  /**
   * The timeout of mcctrl's ask of McKernel for a remote page fault. The driver sets none ({@code
   * remote_page_fault} in {@code executer/kernel/mcctrl/syscall.c} calls {@code mcctrl_ikc_send_wait} with
   * timeout 0: {@code wait_event_interruptible} until the answer or a signal); the engine's ask needs one,
   * so it is this, the release handler's 5 s, far beyond any answer (microseconds) or IKC fault the model
   * strikes (a clog lasts microseconds to milliseconds). When it comes, the driver's wait is still on:
   * nothing changes for the faulting mcexec thread, which waits until mcexec is signalled.
   */
  public static final long FAULT_WAIT_NS = RELEASE_WAIT_NS;

  /** McKernel acknowledged a relayed signal (SEND_SIGNAL_ACK). */
  public record SignalAcked(int signal) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ~(long) signal;
    }
  }

  /**
   * McKernel's page table of the proxy's process now maps [start, end) ({@code mapped}), or no longer
   * does (an munmap, which also clears the proxy's own mapping of it: clear_host_pte). mcctrl reads that
   * table directly when the proxy faults (rus_vm_fault): a page McKernel maps is mirrored into the proxy
   * at a local fault's cost, and only a page it does not map costs a remote page fault.
   */
  public record PageTable(long start, long end, boolean mapped) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return (start * 31 + end) * 31 + (mapped ? 1 : 0);
    }
  }

  /** The process ran execve: the proxy loaded the new image too, and mirrors nothing of the old. */
  public record ProxyExeced() implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return 0x5E;
    }
  }

  /**
   * A proxy wrote the result of a call whose requester sleeps: mcctrl sends the requester's McKernel CPU
   * WAKE_UP_SYSCALL_THREAD over IKC.
   */
  public record WakeUp(int pid, int tid, int cpu) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return (pid * 31L + tid) * 31 + cpu;
    }
  }

  /**
   * A lightweight kernel hands a call to a Linux CPU of the node without a proxy (mOS's migration,
   * Hobbes's remote call): {@code workNs} there, counted from the hand-over, then {@link Ran} back.
   */
  public record Run(long workNs, int replyTo, int tid) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return (workNs * 31 + replyTo) * 31 + tid;
    }
  }

  /** The Linux CPU is done with thread {@code tid}'s call. */
  public record Ran(int tid) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return tid * 13L;
    }
  }
}
