package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.Offload;
import io.mcksim.ikc.PacketType;
import io.mcksim.mckernel.McKernelCpu.McThread;
import io.mcksim.workloads.FileDescriptors;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.ProcView;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The McKernel side of offloaded system calls on one CPU. The marshalled request goes into this CPU's
 * ring to Linux as a SYSCALL_ONESIDE packet; the caller spins, holding the CPU, until mcctrl has
 * written the result into its memory, or, if another thread is runnable, sleeps while that one runs:
 * its request says so, and once mcctrl has written the result it sends WAKE_UP_SYSCALL_THREAD through
 * this CPU's ring from Linux (an IKC packet: its trip, credit and interrupt), and the thread resumes
 * when the CPU gets to it.
 *
 * <p>What McKernel learns from results: the descriptors of device files its processes opened (the
 * proxy holds them) and those McKernel serves itself ({@link FdKind}), and device memory their drivers
 * mapped, which the threads' accesses now reach directly. The sleepers and the descriptors are kept in
 * maps made on first use.
 */
final class OffloadClient {

  /** The interrupt handler of a WAKE_UP_SYSCALL_THREAD packet is done: the sleeper may run. */
  record Woken(int tid) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return tid * 7L;
    }
  }

  private final McKernelCpu cpu;
  /** Threads sleeping in an offloaded call while others ran, by tid. */
  private Map<Integer, McThread> sleeping;
  /**
   * Per process, what McKernel knows of the descriptors its threads here opened: device files (the
   * proxy holds them) and the descriptors McKernel serves itself (perf, xpmem). Kept per CPU: a
   * descriptor another CPU's thread opened is not known here.
   */
  private Map<Integer, Map<Integer, FdKind>> descriptors;

  OffloadClient(McKernelCpu cpu) {
    this.cpu = cpu;
  }

  /** What McKernel knows descriptor {@code fd} of process {@code pid} to be, or null (Linux's alone). */
  FdKind kindOf(int pid, int fd) {
    Map<Integer, FdKind> of = descriptors == null ? null : descriptors.get(pid);
    return of == null ? null : of.get(fd);
  }

  /**
   * Notes what call {@code s} of thread {@code t} is about (opening a descriptor McKernel keeps,
   * mapping device memory, closing a descriptor) and says whether it maps a device file's memory: the
   * Linux driver does that, so the call is offloaded whatever the syscall table says. A close drops the
   * descriptor from what McKernel knows before it goes on to Linux, as McKernel's close handler does.
   */
  boolean prepare(McThread t, Op.Syscall s) {
    boolean deviceMap = s.number() == FileDescriptors.MMAP && s.args().fd() >= 0 && s.args().length() > 0
        && kindOf(t.pid, s.args().fd()) == FdKind.DEVICE;
    t.mappingDevice = deviceMap ? new long[] {s.args().address(), s.args().address() + s.args().length()}
        : null;
    t.opening = SyscallHandlers.opens(s);
    if (s.number() == FileDescriptors.CLOSE && descriptors != null && descriptors.containsKey(t.pid)) {
      descriptors.get(t.pid).remove(s.args().fd());
    }
    return deviceMap;
  }

  /**
   * The marshalled call goes into the ring to Linux; {@code sleeps}: the caller will sleep rather than
   * spin (another thread is runnable), which its request's status tells mcctrl.
   */
  void send(SimContext ctx, Op.Syscall s, McThread t, boolean sleeps) {
    cpu.toLinux.send(ctx, request(s, t.pid, t.tid, sleeps));
  }

  /** kill's number: how McKernel's interrupt_syscall reaches mcexec. */
  private static final int KILL = io.mcksim.workloads.LinuxSyscalls.number("kill");

  /**
   * A signal with a handler reached thread {@code t} while its call is on Linux: McKernel interrupts the
   * call (interrupt_syscall, kernel/syscall.c): an offloaded kill of the thread with signal 0 goes into
   * this CPU's ring, and mcexec signals the worker serving it, whose Linux call, if it waits, returns
   * -EINTR. The thread goes on waiting for its call's result.
   */
  void interrupt(SimContext ctx, McThread t) {
    cpu.toLinux.send(ctx, new IkcPacket(PacketType.SYSCALL_ONESIDE, -1, -1, t.pid, t.tid, cpu.index, KILL,
        t.tid, 0, 0));
  }

  /** The caller sleeps in its call instead of spinning: another thread takes the CPU. */
  void sleep(McThread t, String callName, long callStart) {
    t.pendingCall = callName;
    t.pendingCallStart = callStart;
    if (sleeping == null) {
      sleeping = new TreeMap<>();
    }
    sleeping.put(t.tid, t);
  }

  /**
   * The SYSCALL_ONESIDE packet of an offloaded call: the buffer's address and size, the descriptor; for
   * an open of a path McKernel's /proc or /sys view provides, the view file's id in place of the size
   * (the proxy reads the path from the process's memory and opens mcctrl's file). A call known to fail
   * carries its error, negated, as the result, so that the proxy changes nothing.
   */
  private IkcPacket request(Op.Syscall s, int pid, int tid, boolean sleeps) {
    long second = s.args().size();
    if (FileDescriptors.opens(s.number())) {
      second = FileDescriptors.isDevice(s.args().path()) ? FileDescriptors.DEVICE
          : ProcView.lookup(s.args().path(), pid).ordinal();
    } else if (s.number() == FileDescriptors.MMAP) {
      second = s.args().length();
    }
    // stamped as the ring will write it now, so that a write without waiting need not copy it
    return new IkcPacket(PacketType.SYSCALL_ONESIDE, cpu.toLinux.channel(), cpu.toLinux.nextSeq(), pid, tid,
        cpu.index, s.number(), s.args().address(), second, -s.args().errno(), s.args().fd(), sleeps);
  }

  /**
   * mcctrl wrote a call's result (or the proxy is gone: a signal). A spinning caller goes on at once;
   * a sleeping one is woken over IKC, or, killed, ends where it sleeps.
   */
  void onReturn(SimContext ctx, Offload.Return r) {
    ThreadExecution x = cpu.execution;
    if (x.wasKilled(r.tid())) {
      return; // the thread died of a signal while its call was on Linux
    }
    McThread sleeper = sleeping == null ? null : sleeping.get(r.tid());
    if (r.signal() == 0) {
      returned(ctx, sleeper != null ? sleeper : x.running(), r.ret());
    }
    if (sleeper == null) {
      x.spinEnded(ctx, r.tid(), r.signal());
    } else if (r.signal() != 0) {
      sleeping.remove(r.tid());
      x.killThread(ctx, sleeper, r.signal());
    } else {
      // the requester slept: it goes on when mcctrl's WAKE_UP_SYSCALL_THREAD arrives over IKC
      cpu.counters.wakeUp();
    }
  }

  /** The wake-up's interrupt handler ran: the sleeper may run. */
  void onWoken(SimContext ctx, Woken w) {
    McThread t = sleeping == null ? null : sleeping.remove(w.tid());
    if (t != null) {
      cpu.execution.woken(ctx, t);
    }
  }

  /** The threads sleeping in a call, in tid order; a killer may take them off. */
  Collection<McThread> sleepers() {
    return sleeping == null ? List.of() : sleeping.values();
  }

  /**
   * What McKernel learns from a call's result from Linux: a descriptor it keeps (a device file's, or one
   * it serves itself), or that the driver mapped device memory, which the thread's accesses now reach directly (no fault, no offload).
   */
  private void returned(SimContext ctx, McThread t, long result) {
    if (t == null) {
      return;
    }
    t.lastResult = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result));
    if (t.opening != null && result >= 0) {
      if (descriptors == null) {
        descriptors = new TreeMap<>();
      }
      descriptors.computeIfAbsent(t.pid, k -> new TreeMap<>()).put((int) result, t.opening);
    }
    if (t.mappingDevice != null && result >= 0) {
      cpu.addressSpaces.mapped(t.pid, t.mappingDevice[0], t.mappingDevice[1]);
      cpu.toProcess(ctx, t.pid,
          new McProcess.MapDevice(t.mappingDevice[0], t.mappingDevice[1] - t.mappingDevice[0]));
    }
    t.opening = null;
    t.mappingDevice = null;
  }
}
