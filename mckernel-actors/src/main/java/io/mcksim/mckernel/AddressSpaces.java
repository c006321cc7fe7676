package io.mcksim.mckernel;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.PacketType;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.PageRanges;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one McKernel CPU knows of its processes' address spaces: per process, the ranges known mapped,
 * so touching them needs no question (a TLB, in effect). A touch outside them asks the process, which
 * maps the pages (demand faults of 4 KiB, 2 MiB or 1 GiB pages, each {@code costs.mckernel.page-fault}
 * plus {@code page-clear} per further 4 KiB; the whole large page is then known mapped); local calls
 * that change the areas (mmap and munmap at a fixed address, brk) are told to the process. The cache
 * is made on first use.
 */
final class AddressSpaces {

  private static final long MAP_ANONYMOUS = 0x20;

  private final McKernelCpu cpu;
  private Map<Integer, PageRanges> mapped;
  /** When the touch under way asked the process. */
  private long touchStart;

  AddressSpaces(McKernelCpu cpu) {
    this.cpu = cpu;
  }

  /**
   * Thread {@code t} touches a range: whether it is known mapped; if not, the process is asked to map
   * it, and the thread waits for the answer ({@link #onTouched}).
   */
  boolean touch(SimContext ctx, McKernelCpu.McThread t, Op.Touch touch) {
    long start = touch.address() & -4096L;
    long end = (touch.address() + touch.length() + 4095) & -4096L;
    if (of(t.pid).covers(start, end)) {
      return true;
    }
    touchStart = ctx.now();
    cpu.toProcess(ctx, t.pid, new McProcess.Touch(t.tid, touch.address(), touch.length()));
    return false;
  }

  /**
   * The touched range is mapped now: each demand fault costs {@code costs.mckernel.page-fault}, and
   * the time spent asking counts toward it. A touch outside every area, or one memory ran out for,
   * ends the process (SIGSEGV, SIGKILL); running out of memory is also announced to Linux.
   */
  void onTouched(SimContext ctx, McProcess.Touched t) {
    ThreadExecution x = cpu.execution;
    if (x.wasKilled(t.tid())) {
      return;
    }
    McKernelCpu.McThread current = x.waiter(ThreadExecution.Phase.TOUCH, t.tid(), "a touch result");
    if (t.signal() != 0) {
      if (t.outOfMemory()) {
        cpu.toLinux.send(ctx, new IkcPacket(PacketType.EVENTFD, -1, -1, current.pid, current.tid, cpu.index,
            PacketType.Notice.OUT_OF_MEMORY.ordinal(), t.start(), t.length(), 0));
      } else {
        // the page-fault handler found no memory range for the address: it logs the fault, then the
        // thread gets SIGSEGV (kernel/mem.c, page_fault_handler and unhandled_page_fault)
        cpu.kprintf(ctx, String.format(java.util.Locale.ROOT, "page fault handler: TID %d faulted at 0x%x and"
            + " the fault could not be resolved", current.tid, t.start()));
        cpu.kprintf(ctx, String.format(java.util.Locale.ROOT, "page fault at 0x%x: no page present, user mode;"
            + " the address lies in no memory range of the process; SIGSEGV", t.start()));
      }
      // the whole process ends; this thread stays where it is until the kill reaches it
      cpu.toProcess(ctx, current.pid, new McProcess.KillProcess(t.signal()));
      return;
    }
    long start = t.start() & -4096L;
    long end = (t.start() + t.length() + 4095) & -4096L;
    of(current.pid).add(start, end);
    cpu.counters.pageFaults(t.faults());
    long cost = faultCost(t.faults(), t.bytes());
    x.goOn(ctx, Math.max(0, cost - (ctx.now() - touchStart)));
  }

  /**
   * What {@code faults} demand faults mapping {@code bytes} in all cost: each its fault
   * ({@code costs.mckernel.page-fault}), and clearing every 4 KiB of its page beyond the first
   * ({@code page-clear}).
   */
  long faultCost(long faults, long bytes) {
    return faults * cpu.mckernel.pageFault() + Math.max(0, bytes / 4096 - faults) * cpu.mckernel.pageClear();
  }

  /** An mmap or munmap at a fixed address changes the process's areas, unless it is known to fail. */
  void localCall(SimContext ctx, int pid, Op.Syscall s) {
    if (s.args().fails()) {
      return;
    }
    long start = s.args().address();
    long length = s.args().length() > 0 ? s.args().length() : s.args().size();
    if (s.name().equals("brk") && start > 0) {
      cpu.toProcess(ctx, pid, new McProcess.Brk(start));
      return;
    }
    if (start <= 0 || length <= 0) {
      return;
    }
    if (s.name().equals("mmap")) {
      // a file's mapping (a descriptor, no MAP_ANONYMOUS) takes 4 KiB pages; anonymous memory large ones
      boolean file = s.args().fd() >= 0 && (s.args().flags() & MAP_ANONYMOUS) == 0;
      cpu.toProcess(ctx, pid, new McProcess.MapRegion(start, length, file));
    } else if (s.name().equals("munmap")) {
      of(pid).remove(start, start + length);
      cpu.toProcess(ctx, pid, new McProcess.UnmapRegion(start, length));
    }
  }

  /** Another CPU of the process mapped [start, end), or it is known mapped now. */
  void mapped(int pid, long start, long end) {
    of(pid).add(start, end);
  }

  /** [start, end) of the process is no longer mapped (another CPU unmapped it). */
  void unmapped(int pid, long start, long end) {
    of(pid).remove(start, end);
  }

  /** The process has a new image (execve): nothing of the old one is known mapped. */
  void forget(int pid) {
    of(pid).clear();
  }

  private PageRanges of(int pid) {
    if (mapped == null) {
      mapped = new TreeMap<>();
    }
    return mapped.computeIfAbsent(pid, k -> new PageRanges());
  }
}
