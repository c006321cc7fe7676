package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.Offload;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.PageRanges;
import io.mcksim.workloads.ProcView;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.Signals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A McKernel process's address space: its virtual memory areas and the pages McKernel has mapped. Its
 * pid is its proxy's. The CPUs running its threads ask it to resolve remote page faults (a page the
 * proxy touched) and tell it about regions their mmap and munmap calls create and remove.
 *
 * <p>A process starts with one data area, {@code [DATA_START, DATA_START + dataBytes)}, demand-paged:
 * a page inside an area is mapped at its first fault; a page outside every area cannot be resolved.
 */
public final class McProcess implements SimEntity {

  /** The data area a process starts with (and an exec'd image gets) unless it says otherwise. */
  public static final long DEFAULT_DATA_BYTES = 64L << 20;

  /** Where a process's initial data area starts. */
  public static final long DATA_START = 0x10000;

  /**
   * The stack: the top {@value #STACK_BYTES} bytes of the user address space (ulimit -s), demand-paged
   * like the data area. Below it lies no range, so a thread that runs past its end (a stack overflow)
   * faults there, and McKernel's page-fault handler ends the process with SIGSEGV. Not shown in the
   * process's /proc views.
   */
  public static final long STACK_BYTES = 8L << 20;
  public static final long STACK_END = io.mcksim.workloads.SyscallArgs.USER_SPACE;
  public static final long STACK_START = STACK_END - STACK_BYTES;

  /** Resolve the page of {@code request.arg()} for a proxy; answer the CPU after {@code delay}. */
  public record Resolve(IkcPacket request, long delay) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return request.fingerprint() ^ delay;
    }
  }

  /**
   * Render the /proc or /sys view file of {@code request} (PROCFS_REQUEST: file id, offset, size) for
   * mcctrl's read callback; answer the CPU after {@code delay}.
   */
  public record Render(IkcPacket request, long delay) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ~request.fingerprint() ^ delay;
    }
  }

  /** The bytes of the view file a read gets from its offset on (0 at the end of the file). */
  public record Rendered(IkcPacket request, long bytes) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return request.fingerprint() * 37 + bytes;
    }
  }

  /** The page is (now) mapped, or lies in no area. */
  public record Resolved(IkcPacket request, boolean ok) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return request.fingerprint() * 31 + (ok ? 1 : 0);
    }
  }

  /**
   * An mmap made {@code [start, start + length)} part of the address space; {@code smallPages}: a
   * mapping of a file, which McKernel maps in 4 KiB pages (do_mmap's pgshift = PAGE_SHIFT).
   */
  public record MapRegion(long start, long length, boolean smallPages) implements Fingerprinted, SimMessage {
    /** An anonymous mapping: large pages where they fit. */
    public MapRegion(long start, long length) {
      this(start, length, false);
    }

    @Override
    public long fingerprint() {
      return RandomStreams.mix64(start) ^ length ^ (smallPages ? 0x5A11L : 0);
    }
  }

  /**
   * The Linux driver mapped device memory at {@code [start, start + length)} through the proxy: the
   * range is part of the address space and present, with no memory of McKernel's behind it.
   */
  public record MapDevice(long start, long length) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(start) ^ length ^ 0xDEL;
    }
  }

  /** A munmap removed {@code [start, start + length)}. */
  public record UnmapRegion(long start, long length) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(start) ^ ~length;
    }
  }

  /** One of the process's threads ended, normally with {@code status} or killed by {@code signal}. */
  public record ThreadExited(int tid, int status, int signal) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) tid << 32) ^ (status + 1000L * signal);
    }
  }

  /** A thread of this process forks: copy the address space into a child. */
  public record ForkRequest(int tid, int cpuEntity, Program child, int childCpuEntity)
      implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) tid << 32) ^ cpuEntity ^ RandomStreams.fnv1a64(child.name()) ^ ((long) childCpuEntity << 20);
    }
  }

  /**
   * This slot becomes the child of {@code parentPid}, with a copy of its areas and one thread, on the
   * CPU entity {@code cpu}, and the parent's signal actions.
   */
  public record Adopt(int parentPid, List<long[]> areas, int cpu, List<Op.SigAction> actions)
      implements Fingerprinted, SimMessage {
    /** The child of a parent that has changed no signal's action. */
    public Adopt(int parentPid, List<long[]> areas, int cpu) {
      this(parentPid, areas, cpu, new ArrayList<>());
    }

    @Override
    public long fingerprint() {
      long h = parentPid;
      for (long[] a : areas) {
        h = RandomStreams.mix64(h ^ a[0]) ^ a[1];
      }
      return h;
    }
  }

  /** A signal whose default action ends the process arrived: end every thread. */
  public record KillProcess(int signal) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return signal;
    }
  }

  /**
   * The process's proxy is gone and its device released (CLEANUP_PROCESS, McKernel's
   * {@code terminate_host}): the process has no host from now on and, if it still lives, is killed with
   * SIGKILL.
   */
  public record HostGone() implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return 0x4057L;
    }
  }

  /** To a CPU: end this process's threads there. */
  public record Kill(int pid, int signal) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) pid << 32) ^ signal;
    }
  }

  /** A thread touches [start, start + length): fault in what is not mapped. */
  public record Touch(int tid, long start, long length) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) tid << 32) ^ start) ^ length;
    }
  }

  /**
   * The touch's outcome: {@code faults} pages faulted in, {@code bytes} in all (a large page is one
   * fault), and [start, start + length) now known mapped (the touch, widened to the large pages it
   * faulted in); or the signal that ends the process (SIGSEGV outside every area, SIGKILL when memory
   * ran out), {@code start} the address that faulted.
   */
  public record Touched(int tid, long start, long length, long faults, long bytes, int signal,
      boolean outOfMemory) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) tid << 32) ^ start) ^ faults ^ ((long) signal << 48) ^ bytes * 31
          ^ length * 7;
    }
  }

  /** To a CPU: [start, end) is mapped (it may skip asking). */
  public record Cached(int pid, long start, long end) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(start) ^ end ^ pid;
    }
  }

  /** To a CPU: [start, end) is no longer mapped (a TLB shootdown). */
  public record Invalidate(int pid, long start, long end) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ~RandomStreams.mix64(start) ^ end ^ pid;
    }
  }

  /** brk: the heap's end moves to {@code address} if that is higher (McKernel's brk never shrinks). */
  public record Brk(long address) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return address;
    }
  }

  /** A thread of this process started another. */
  public record ThreadSpawned(int tid, int cpuEntity) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) tid << 32) ^ cpuEntity;
    }
  }

  /** A thread ran execve: a fresh address space (the new image's data area); answer the CPU. */
  public record Exec(int tid, long dataBytes) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) tid << 32) ^ dataBytes;
    }
  }

  /** The exec is done on McKernel's side and the proxy has loaded the image too. */
  public record Execed(int tid) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return tid;
    }
  }

  /**
   * A signal for process {@code pid}: for thread {@code tid} of it ({@code tgkill}), or for the process
   * (0: {@code kill}, or a signal mcexec relayed from Linux). {@code replyTo} is the CPU entity of the
   * sending thread {@code senderTid}, which waits for the call's result ({@link SignalSent}); -1 when
   * nobody waits. A process sends a signal for another pid through the process table, which knows the
   * pids in use.
   */
  public record Signal(int pid, int tid, int signal, int replyTo, int senderTid)
      implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) pid << 32) ^ tid) ^ ((long) signal << 40) ^ senderTid;
    }
  }

  /** To the sending thread's CPU: its kill or tgkill returned {@code result} (0, or -ESRCH). */
  public record SignalSent(int tid, int result) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) tid << 16) ^ result ^ 0x5167L;
    }
  }

  /** rt_sigaction: the process's action for a signal is {@code action} from now on. */
  public record SetAction(Op.SigAction action) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return action.signal() * 31L + action.action().ordinal();
    }
  }

  /**
   * To a thread's CPU: signal {@code signal} is delivered to thread {@code tid}, whose handler
   * {@code handler} runs before the thread goes on; a thread sleeping in a futex wait is woken, the wait
   * returning -EINTR.
   */
  public record Deliver(int pid, int tid, int signal, Program handler) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) tid << 8) ^ signal) ^ RandomStreams.fnv1a64(handler.name());
    }
  }

  /** FUTEX_WAIT: thread {@code tid} (on the sending CPU) sleeps on {@code address}. */
  public record FutexWait(int tid, long address) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(address) ^ tid;
    }
  }

  /** FUTEX_WAKE by thread {@code tid}: release up to {@code count} waiters on {@code address}. */
  public record FutexWake(int tid, long address, int count) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ~RandomStreams.mix64(address) ^ tid ^ ((long) count << 32);
    }
  }

  /** A signal woke thread {@code tid} out of its futex wait: it waits no more. */
  public record FutexCancel(int tid) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return tid * 0x9e3779b97f4a7c15L;
    }
  }

  /**
   * To a thread's CPU: thread {@code tid}'s futex call is done with {@code result}: a waiter released (0),
   * or a waker told how many it released.
   */
  public record FutexDone(int tid, int result) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) tid << 20) ^ result ^ 0xF07EL;
    }
  }

  /**
   * exit_group by thread {@code tid} (McKernel's terminate): the process exits with {@code status}, its
   * other threads killed (SIGKILL) wherever they are.
   */
  public record ExitGroup(int tid, int status) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) tid << 12) ^ status ^ 0xE619L;
    }
  }

  /** -ESRCH: no such process or thread. */
  public static final int ESRCH = -3;

  /** The thread id of the {@code t}-th thread a launched process starts with: the pid for the first. */
  public static int threadId(int pid, int t) {
    return t == 0 ? pid : pid * 1000 + t;
  }

  /** Memory a process takes from its partition when it starts, before its first fault. */
  public static final long INITIAL_GRANT = 16L << 20;
  /** What a process asks for beyond its need when its memory runs short. */
  public static final long REFILL = 2L << 20;
  private static final long PAGE = 4096;
  private static final int SIGSEGV = 11;
  private static final int SIGKILL = 9;

  private final int pid;
  private final int proxy;
  /** The instance's memory partitions, the preferred (its first CPU's NUMA node) first. */
  private final int[] partitions;
  /** Bytes each of {@link #partitions} granted and has not had back. */
  private final long[] held;
  /** Grants under way: id to {partition index tried, bytes, contiguous (1) or not}. */
  private final Map<Long, long[]> grants = new java.util.HashMap<>();
  private final boolean anonOnDemand;
  /** Granted by the partition and not yet used for pages. */
  private long pool;
  private long nextGrant;
  /** Grant id of a pending mmap premap, to the area it would premap. */
  private final TreeMap<Long, long[]> premapRequests = new TreeMap<>();
  /** Touches waiting for memory. */
  private final ArrayDeque<Object[]> waiting = new ArrayDeque<>();
  private boolean refilling;
  private final PageRanges premapped = new PageRanges();
  private final PageRanges faulted = new PageRanges();
  /** Device memory mapped through the Linux driver: present, and not McKernel's memory. */
  private final PageRanges devices = new PageRanges();
  private long pageFaults;
  /** The heap: from the end of the data area to the current break. */
  private long heapStart;
  private long heapEnd;
  /** Premapped pages by size: 4 KiB, 2 MiB, 1 GiB. */
  private final long[] premappedPages = new long[3];
  /** Demand faults (local and remote) by the size of the page they mapped: 4 KiB, 2 MiB, 1 GiB. */
  private final long[] faultsBySize = new long[3];
  /** The largest page a demand fault maps ({@link #withLargestPage}); 4 KiB unless set. */
  private long largestPage = PAGE;
  /** Areas McKernel maps in 4 KiB pages only: file mappings. */
  private final PageRanges smallPages = new PageRanges();
  /** The CPU entities its threads run on. */
  private final CpuSet threadCpus = new CpuSet();
  private final int processTable;
  private final long hop;
  /** The instance's McKernel CPUs, for the /proc and /sys views. */
  private final int instanceCpus;
  /** The instance's memory as last counted for /proc/meminfo. */
  private long memTotal;
  private long memFree;
  private int liveThreads;
  private int parentPid;
  private int exitStatus = -1;
  /** Whether every thread has been sent its kill (once per process). */
  private boolean killed;
  /** Whether McKernel learnt that the proxy is gone ({@link HostGone}): {@code nohost} in McKernel. */
  private boolean hostGone;
  /** A planted bug, switched on by {@link #plantKeepsMemoryWhenKilled} only. */
  private boolean keepsMemoryWhenKilled;
  private int exitSignal;
  /** The status exit_group gave the process, or -1. */
  private int groupStatus = -1;
  /** Areas: start to end (exclusive), not overlapping. */
  private final TreeMap<Long, Long> areas = new TreeMap<>();
  /** Its live threads: tid to the CPU entity each runs on. */
  private final ThreadTable threads = new ThreadTable();
  /** Signals' actions rt_sigaction set (null until the first): signal to action. */
  private Map<Integer, Op.SigAction> actions;
  /** Threads sleeping in a futex wait: address to {tid, CPU entity}, first come first. */
  private TreeMap<Long, ArrayDeque<int[]>> futexes;
  /** Whether a process ever lived in this slot (launched, or adopted by a fork). */
  private boolean born;
  private long signalsHandled;
  private long signalsIgnored;
  private long resolved;
  private long refused;

  /**
   * @param proxy        its proxy's entity
   * @param processTable the node's process table entity (for fork)
   * @param hop          delay of a message between entities of the node
   * @param threadCpuEntities the CPU entity of each thread it starts with (none for a slot waiting
   *                     for a fork)
   * @param instanceCpus the instance's McKernel CPUs, which its /proc and /sys views show
   */
  public McProcess(int pid, long dataBytes, int proxy, int processTable, long hop,
      List<Integer> threadCpuEntities, List<Integer> partitions, boolean anonOnDemand, int instanceCpus) {
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("process " + pid + " needs at least one memory partition");
    }
    this.partitions = partitions.stream().mapToInt(Integer::intValue).toArray();
    this.held = new long[this.partitions.length];
    this.pid = pid;
    this.instanceCpus = instanceCpus;
    this.anonOnDemand = anonOnDemand;
    this.threadCpus.addAll(threadCpuEntities);
    int threads = threadCpuEntities.size();
    for (int t = 0; t < threads; t++) {
      this.threads.put(threadId(pid, t), threadCpuEntities.get(t));
    }
    this.born = threads > 0;
    this.proxy = proxy;
    this.processTable = processTable;
    this.hop = hop;
    this.liveThreads = threads;
    if (dataBytes > 0) {
      areas.put(DATA_START, DATA_START + dataBytes);
    }
    this.heapStart = DATA_START + dataBytes;
    this.heapEnd = heapStart;
  }

  /**
   * Demand faults map pages up to {@code bytes} (4 KiB, 2 MiB or 1 GiB; {@code costs.mckernel.largest-page}).
   * Call before the model runs.
   */
  public McProcess withLargestPage(long bytes) {
    if (bytes != PAGE && bytes != LARGE_2M && bytes != LARGE_1G) {
      throw new IllegalArgumentException("process " + pid + ": pages are 4 KiB, 2 MiB or 1 GiB, not " + bytes);
    }
    this.largestPage = bytes;
    return this;
  }

  private static final long LARGE_2M = 2L << 20;
  private static final long LARGE_1G = 1L << 30;

  @Override
  public void start(SimContext ctx) {
    if (liveThreads > 0) {
      grant(ctx, INITIAL_GRANT);
    }
  }

  private void grant(SimContext ctx, long bytes) {
    refilling = true;
    request(ctx, nextGrant++, bytes, false);
  }

  /** Asks the preferred partition for memory; {@link #onGranted} tries the others if it has none. */
  private void request(SimContext ctx, long id, long bytes, boolean contiguous) {
    grants.put(id, new long[] {0, bytes, contiguous ? 1 : 0});
    ctx.send(partitions[0], hop, 0, new MemoryPartition.Grant(id, bytes, contiguous, ctx.self()));
  }

  /** Gives {@code bytes} back, to the least preferred partitions first, none more than it granted. */
  private void release(SimContext ctx, long bytes) {
    for (int i = partitions.length - 1; i >= 0 && bytes > 0; i--) {
      long back = Math.min(bytes, held[i]);
      if (back > 0) {
        held[i] -= back;
        bytes -= back;
        ctx.send(partitions[i], hop, 0, new MemoryPartition.Release(back));
      }
    }
    if (bytes > 0) {
      throw new IllegalStateException("process " + pid + " gives back " + bytes
          + " bytes more than its partitions granted");
    }
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Resolve r) {
      // a page the proxy touched: resolved if it lies in an area, faulted in here if need be
      long page = r.request().arg() & -PAGE;
      boolean ok = contains(page) && (isMapped(page) || remoteFaultIn(ctx, page));
      if (ok) {
        resolved++;
      } else {
        refused++;
      }
      ctx.send(source, r.delay(), 0, new Resolved(r.request(), ok));
    } else if (payload instanceof Render r) {
      ProcView.File file = ProcView.File.ofId(r.request().number());
      if (file == ProcView.File.MEMINFO) {
        // the instance's memory is the partitions': count it over all of them first
        ctx.send(java.util.Arrays.stream(partitions).min().getAsInt(), hop, 0, new MemoryPartition.Count(r.request(), source, r.delay(), 0, 0,
            ctx.self()));
      } else {
        answer(ctx, r.request(), source, r.delay());
      }
    } else if (payload instanceof MemoryPartition.Counted c) {
      memTotal = c.total();
      memFree = c.free();
      answer(ctx, c.request(), c.cpu(), c.delay());
    } else if (payload instanceof Touch t) {
      touch(ctx, source, t);
    } else if (payload instanceof MemoryPartition.Granted g) {
      onGranted(ctx, g);
    } else if (payload instanceof Signal sig) {
      signal(ctx, sig);
    } else if (payload instanceof SetAction a) {
      setAction(a.action());
    } else if (payload instanceof FutexWait w) {
      if (liveThreads > 0 && !killed) {
        futexes().computeIfAbsent(w.address(), k -> new ArrayDeque<>()).add(new int[] {w.tid(), source});
      }
    } else if (payload instanceof FutexWake w) {
      ctx.send(source, hop, 0, new FutexDone(w.tid(), wake(ctx, w.address(), w.count())));
    } else if (payload instanceof FutexCancel c) {
      unqueue(c.tid());
    } else if (payload instanceof ExitGroup g) {
      if (liveThreads > 0 && !killed && exitSignal == 0) {
        groupStatus = g.status();
        killThreads(ctx, SIGKILL);
      }
    } else if (payload instanceof ThreadExited t) {
      threads.remove(t.tid());
      if (t.signal() != 0 && exitSignal == 0 && groupStatus < 0) {
        exitSignal = t.signal();
      }
      if (--liveThreads > 0 && t.signal() != 0 && groupStatus < 0) {
        // a thread a signal ended (an offloaded call that came back with SIGKILL) ends its whole thread
        // group, as in McKernel: its other threads are killed too, wherever they are
        killThreads(ctx, t.signal());
      }
      if (liveThreads == 0) {
        exitStatus = exitSignal != 0 ? -1 : groupStatus >= 0 ? groupStatus : t.status();
        // its memory goes back to the partition
        long bytes = premapped.total() + faulted.total() + pool;
        premapped.clear();
        faulted.clear();
        pool = 0;
        if (bytes > 0 && !(keepsMemoryWhenKilled && exitSignal != 0)) {
          release(ctx, bytes);
        }
        // exit_group goes to Linux: the proxy exits the same way, and its launcher sees it
        ctx.send(proxy, hop, 0, new Offload.ProcessExited(exitStatus, exitSignal));
      }
    } else if (payload instanceof ForkRequest f) {
      List<long[]> copy = new ArrayList<>();
      for (Map.Entry<Long, Long> e : areas.entrySet()) {
        copy.add(new long[] {e.getKey(), e.getValue()});
      }
      List<Op.SigAction> inherited = new ArrayList<>();
      if (actions != null) {
        new TreeMap<>(actions).values().forEach(inherited::add);
      }
      ctx.send(processTable, hop, 0, new ProcessTable.Fork(pid, f.tid(), f.cpuEntity(), f.child(), copy,
          f.childCpuEntity(), inherited));
    } else if (payload instanceof Adopt a) {
      parentPid = a.parentPid();
      areas.clear();
      premapped.clear();
      faulted.clear();
      for (long[] area : a.areas()) {
        areas.put(area[0], area[1]);
      }
      grant(ctx, INITIAL_GRANT);
      liveThreads = 1;
      threadCpus.clear();
      threadCpus.add(a.cpu());
      threads.clear();
      threads.put(pid, a.cpu());
      born = true;
      actions = null;
      a.actions().forEach(this::setAction); // a forked child inherits its parent's actions
      exitStatus = -1;
      exitSignal = 0;
      groupStatus = -1;
      killed = false;
      hostGone = false;
    } else if (payload instanceof HostGone) {
      hostGone = true;
      if (liveThreads > 0) {
        exitSignal = exitSignal == 0 ? SIGKILL : exitSignal;
        killThreads(ctx, SIGKILL);
      }
    } else if (payload instanceof KillProcess k) {
      if (liveThreads > 0) {
        exitSignal = exitSignal == 0 ? k.signal() : exitSignal;
        killThreads(ctx, k.signal());
      }
    } else if (payload instanceof Brk b) {
      if (b.address() > heapEnd) {
        map(heapStart, b.address());
        heapEnd = b.address();
      }
    } else if (payload instanceof ThreadSpawned ts) {
      liveThreads++;
      threads.put(ts.tid(), ts.cpuEntity());
      threadCpus.add(ts.cpuEntity());
    } else if (payload instanceof Exec x) {
      long bytes = premapped.total() + faulted.total();
      premapped.clear();
      faulted.clear();
      smallPages.clear();
      areas.clear();
      if (x.dataBytes() > 0) {
        areas.put(DATA_START, DATA_START + x.dataBytes());
      }
      heapStart = DATA_START + x.dataBytes();
      heapEnd = heapStart;
      if (bytes > 0) {
        pool += bytes; // the old image's pages come back to the process's own pool
      }
      for (int k = 0; k < threadCpus.size(); k++) {
        int cpu = threadCpus.get(k);
        ctx.send(cpu, hop, 0, new Invalidate(pid, 0, Long.MAX_VALUE));
      }
      ctx.send(proxy, hop, 0, new Offload.ProxyExeced());
      ctx.send(source, hop, 0, new Execed(x.tid()));
    } else if (payload instanceof MapRegion m) {
      map(m.start(), m.start() + m.length());
      if (m.smallPages()) {
        smallPages.add(m.start() & -PAGE, (m.start() + m.length() + PAGE - 1) & -PAGE);
      }
      if (!anonOnDemand) {
        // private anonymous memory is premapped when the partition still has it contiguous
        long id = nextGrant++;
        premapRequests.put(id, new long[] {m.start(), m.start() + m.length()});
        request(ctx, id, m.length(), true);
      }
    } else if (payload instanceof MapDevice d) {
      map(d.start(), d.start() + d.length());
      devices.add(d.start(), d.start() + d.length());
    } else if (payload instanceof UnmapRegion u) {
      long start = u.start();
      long end = u.start() + u.length();
      long bytes = premapped.coveredIn(start, end) + faulted.coveredIn(start, end);
      devices.remove(start, end);
      smallPages.remove(start & -PAGE, (end + PAGE - 1) & -PAGE);
      unmap(start, end);
      if (bytes > 0) {
        release(ctx, bytes);
      }
      for (int k = 0; k < threadCpus.size(); k++) {
        int cpu = threadCpus.get(k);
        ctx.send(cpu, hop, 0, new Invalidate(pid, start, end));
      }
      // McKernel's munmap clears the proxy's mapping of the range too (clear_host_pte)
      ctx.send(proxy, hop, 0, new Offload.PageTable(start, end, false));
    } else {
      throw new IllegalArgumentException("process " + pid + " got an unknown message " + payload);
    }
  }

  /**
   * A signal for this process, or for another pid (sent on through the process table): the sender learns
   * the call's result (-ESRCH for a pid or thread that is not there; 0 for a process that has exited and
   * not been reaped), then the signal's action applies.
   */
  private void signal(SimContext ctx, Signal s) {
    if (s.pid() != pid) {
      ctx.send(processTable, hop, 0, s);
      return;
    }
    boolean there = born && (s.tid() == 0 || threads.contains(s.tid()));
    if (s.replyTo() >= 0) {
      ctx.send(s.replyTo(), hop, 0, new SignalSent(s.senderTid(), there ? 0 : ESRCH));
    }
    if (there && liveThreads > 0 && !killed) {
      act(ctx, s.tid(), s.signal());
    }
  }

  /**
   * What signal {@code signal} does, by the process's action for it: nothing (ignored, by SIG_IGN or by
   * default), the default action that ends the process (every thread, wherever it is), or its handler,
   * run by thread {@code tid} (for a signal to the process: the main thread while it lives, else the
   * lowest-numbered live thread), taken first out of any futex wait.
   */
  private void act(SimContext ctx, int tid, int signal) {
    Op.SigAction a = actions == null || signal == SIGKILL ? null : actions.get(signal);
    Op.SigAction.Action action = a == null ? Op.SigAction.Action.DEFAULT : a.action();
    boolean ignored = action == Op.SigAction.Action.IGNORE
        || (action == Op.SigAction.Action.DEFAULT && Signals.ignoredByDefault(signal));
    if (ignored) {
      signalsIgnored++;
    } else if (action == Op.SigAction.Action.DEFAULT) {
      exitSignal = exitSignal == 0 ? signal : exitSignal;
      killThreads(ctx, signal);
    } else {
      int to = tid != 0 ? tid : threads.contains(pid) ? pid : threads.first();
      signalsHandled++;
      unqueue(to);
      ctx.send(threads.cpuOf(to), hop, 0, new Deliver(pid, to, signal, a.handler()));
    }
  }

  /** rt_sigaction: {@code action} is the process's action for its signal from now on. */
  private void setAction(Op.SigAction action) {
    if (actions == null) {
      actions = new java.util.HashMap<>();
    }
    actions.put(action.signal(), action);
  }

  /** FUTEX_WAKE: releases up to {@code count} waiters on {@code address}, first come first; how many. */
  private int wake(SimContext ctx, long address, int count) {
    ArrayDeque<int[]> q = futexes == null ? null : futexes.get(address);
    int woken = 0;
    while (q != null && !q.isEmpty() && woken < count) {
      int[] w = q.poll();
      ctx.send(w[1], hop, 0, new FutexDone(w[0], 0));
      woken++;
    }
    if (q != null && q.isEmpty()) {
      futexes.remove(address);
    }
    return woken;
  }

  /** Thread {@code tid} no longer waits on any futex. */
  private void unqueue(int tid) {
    if (futexes == null) {
      return;
    }
    for (java.util.Iterator<ArrayDeque<int[]>> it = futexes.values().iterator(); it.hasNext(); ) {
      ArrayDeque<int[]> q = it.next();
      q.removeIf(w -> w[0] == tid);
      if (q.isEmpty()) {
        it.remove();
      }
    }
  }

  private TreeMap<Long, ArrayDeque<int[]>> futexes() {
    if (futexes == null) {
      futexes = new TreeMap<>();
    }
    return futexes;
  }

  /** Threads sleeping in a futex wait, over every address. */
  public int futexWaiters() {
    return futexes == null ? 0 : futexes.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  /** Signals whose handler was run, and signals ignored (by SIG_IGN or by default). */
  public long signalsHandled() {
    return signalsHandled;
  }

  public long signalsIgnored() {
    return signalsIgnored;
  }

  /** Sends every thread's CPU the kill, once: the thread group ends. */
  private void killThreads(SimContext ctx, int signal) {
    if (killed) {
      return;
    }
    killed = true;
    futexes = null; // its waiters die where they sleep
    for (int k = 0; k < threadCpus.size(); k++) {
      int cpu = threadCpus.get(k);
      ctx.send(cpu, hop, 0, new Kill(pid, signal));
    }
  }

  private void onGranted(SimContext ctx, MemoryPartition.Granted g) {
    long[] asked = grants.get(g.id());
    if (g.bytes() == 0 && asked[0] + 1 < partitions.length) {
      // this node has none: the next one in order of preference
      asked[0]++;
      ctx.send(partitions[(int) asked[0]], hop, 0,
          new MemoryPartition.Grant(g.id(), asked[1], asked[2] == 1, ctx.self()));
      return;
    }
    grants.remove(g.id());
    held[(int) asked[0]] += g.bytes();
    long[] area = premapRequests.remove(g.id());
    if (area != null) {
      if (g.bytes() > 0 && covered(area[0], area[1])) {
        premapped.add(area[0], area[1]);
        countPages(area[0], area[1]);
        for (int k = 0; k < threadCpus.size(); k++) {
          int cpu = threadCpus.get(k);
          ctx.send(cpu, hop, 0, new Cached(pid, area[0], area[1]));
        }
        ctx.send(proxy, hop, 0, new Offload.PageTable(area[0], area[1], true));
      } else if (g.bytes() > 0) {
        // not usable for the premap after all: straight back to the node that gave it
        held[(int) asked[0]] -= g.bytes();
        ctx.send(partitions[(int) asked[0]], hop, 0, new MemoryPartition.Release(g.bytes()));
      }
      return;
    }
    refilling = false;
    if (g.bytes() == 0) {
      // out of memory: every touch that waits for memory ends the process
      while (!waiting.isEmpty()) {
        Object[] w = waiting.poll();
        Touch t = (Touch) w[1];
        ctx.send((Integer) w[0], hop, 0, new Touched(t.tid(), t.start(), t.length(), 0, 0, SIGKILL, true));
      }
      return;
    }
    pool += g.bytes();
    while (!waiting.isEmpty()) {
      Object[] w = waiting.poll();
      touch(ctx, (Integer) w[0], (Touch) w[1]);
      if (refilling) {
        return;
      }
    }
  }

  /**
   * Faults in the unmapped pages of a touch, or waits for memory, or ends the process. Each fault maps
   * the page size {@link #faultSize} says; the CPU learns the range now known mapped, and the proxy that
   * McKernel's page table holds it (mcctrl reads that table directly: the proxy's own faults there need
   * no remote fault).
   */
  private void touch(SimContext ctx, int cpu, Touch t) {
    long start = t.start() & -PAGE;
    long end = (t.start() + t.length() + PAGE - 1) & -PAGE;
    for (long page = start; page < end; page += PAGE) {
      if (!contains(page)) {
        // the first address that faults: where the touch starts, or the first page of it not covered
        long at = page == start ? t.start() : page;
        ctx.send(cpu, hop, 0, new Touched(t.tid(), at, t.length(), 0, 0, SIGSEGV, false));
        return;
      }
    }
    long missing = faultIn(start, end, false)[1];
    if (missing > pool) {
      waiting.add(new Object[] {cpu, t});
      if (!refilling) {
        grant(ctx, missing - pool + REFILL);
      }
      return;
    }
    long[] done = faultIn(start, end, true);
    long from = Math.min(start, done[2]);
    long to = Math.max(end, done[3]);
    if (done[0] > 0) {
      ctx.send(proxy, hop, 0, new Offload.PageTable(done[2], done[3], true));
    }
    ctx.send(cpu, hop, 0, new Touched(t.tid(), from, to - from, done[0], done[1], 0, false));
  }

  /**
   * The demand faults [start, end) takes: {faults, bytes they map, the lowest and the highest address
   * they map (start and end when none)}; {@code apply}: map them now (the pool must hold the bytes).
   */
  private long[] faultIn(long start, long end, boolean apply) {
    long faults = 0;
    long bytes = 0;
    long low = start;
    long high = end;
    for (long page = start; page < end; ) {
      if (isMapped(page)) {
        page += PAGE;
        continue;
      }
      long size = faultSize(page);
      long block = page & -size;
      if (apply) {
        mapFault(block, size);
      }
      faults++;
      bytes += size;
      low = Math.min(low, block);
      high = Math.max(high, block + size);
      page = block + size;
    }
    return new long[] {faults, bytes, low, high};
  }

  /**
   * The page a demand fault at {@code page} maps, as McKernel's page_fault_process_memory_range picks
   * it: the largest size up to {@link #largestPage} whose aligned page lies wholly in the faulting
   * page's area and holds nothing mapped yet (a page table below that level exists then); 4 KiB in a
   * file mapping.
   */
  private long faultSize(long page) {
    if (smallPages.contains(page)) {
      return PAGE;
    }
    for (long size = largestPage; size > PAGE; size = size == LARGE_1G ? LARGE_2M : PAGE) {
      long block = page & -size;
      if (sameArea(page, block, block + size) && premapped.coveredIn(block, block + size) == 0
          && faulted.coveredIn(block, block + size) == 0 && devices.coveredIn(block, block + size) == 0) {
        return size;
      }
    }
    return PAGE;
  }

  /** Whether [start, end) lies wholly in the area (or the stack) that holds {@code page}. */
  private boolean sameArea(long page, long start, long end) {
    if (page >= STACK_START && page < STACK_END) {
      return start >= STACK_START && end <= STACK_END;
    }
    Map.Entry<Long, Long> e = areas.floorEntry(page);
    return e != null && start >= e.getKey() && end <= e.getValue();
  }

  /** A demand fault maps the page [block, block + size) from the pool. */
  private void mapFault(long block, long size) {
    pool -= size;
    faulted.add(block, block + size);
    pageFaults++;
    faultsBySize[size == PAGE ? 0 : size == LARGE_2M ? 1 : 2]++;
  }

  /**
   * A remote fault at {@code page} (the proxy touched it): McKernel faults it in like a local fault,
   * large page and all, and the proxy will find the rest of that page in McKernel's table. False when
   * the pool cannot cover it.
   */
  private boolean remoteFaultIn(SimContext ctx, long page) {
    long size = faultSize(page);
    long block = page & -size;
    if (pool < size) {
      return false;
    }
    mapFault(block, size);
    if (size > PAGE) {
      ctx.send(proxy, hop, 0, new Offload.PageTable(block, block + size, true));
    }
    return true;
  }

  /** Large pages where alignment allows: 1 GiB, then 2 MiB, then 4 KiB pages. */
  private void countPages(long start, long end) {
    long gib = 1L << 30;
    long mib2 = 2L << 20;
    long a = start;
    while (a < end) {
      if (a % gib == 0 && end - a >= gib) {
        premappedPages[2]++;
        a += gib;
      } else if (a % mib2 == 0 && end - a >= mib2) {
        premappedPages[1]++;
        a += mib2;
      } else {
        premappedPages[0]++;
        a += PAGE;
      }
    }
  }

  private boolean isMapped(long page) {
    return premapped.contains(page) || faulted.contains(page) || devices.contains(page);
  }

  private boolean covered(long start, long end) {
    Map.Entry<Long, Long> e = areas.floorEntry(start);
    return e != null && e.getValue() >= end;
  }

  private boolean contains(long address) {
    Map.Entry<Long, Long> e = areas.floorEntry(address);
    return (e != null && address < e.getValue()) || (address >= STACK_START && address < STACK_END);
  }

  /**
   * The content of a /proc or /sys view file for this process, as it stands now; the instance's memory
   * as last counted for a /proc/meminfo read (0 before any).
   */
  public String view(ProcView.File file) {
    return ProcView.render(file, new ProcView.Snapshot(pid, liveThreads, instanceCpus,
        java.util.Collections.unmodifiableNavigableMap(areas), heapStart, heapEnd,
        premapped.total() + faulted.total(), memTotal, memFree));
  }

  /** The bytes a read of the request's view file gets, to the CPU after {@code delay}. */
  private void answer(SimContext ctx, IkcPacket request, int cpu, long delay) {
    long offset = request.arg();
    long size = request.arg2();
    long length = view(ProcView.File.ofId(request.number())).length();
    ctx.send(cpu, delay, 0, new Rendered(request, ProcView.readable(length, offset, size)));
  }

  private void map(long start, long end) {
    unmap(start, end);
    areas.put(start, end);
  }

  private void unmap(long start, long end) {
    Map.Entry<Long, Long> before = areas.lowerEntry(start);
    if (before != null && before.getValue() > start) {
      areas.put(before.getKey(), start);
      if (before.getValue() > end) {
        areas.put(end, before.getValue());
      }
    }
    for (Map.Entry<Long, Long> e : new TreeMap<>(areas.subMap(start, true, end, false)).entrySet()) {
      areas.remove(e.getKey());
      if (e.getValue() > end) {
        areas.put(end, e.getValue());
      }
    }
    premapped.remove(start, end);
    faulted.remove(start, end);
  }

  public int pid() {
    return pid;
  }

  /** The exit status, or -1 while it runs or when a signal killed it. */
  /**
   * Plants a bug, for the chaos test that shows a campaign catches it: a process a signal ends (killed
   * by SIGKILL when its proxy dies, by the out-of-memory path, by the time limit) keeps its memory,
   * which never goes back to its partitions. Nothing but that test calls it.
   */
  public McProcess plantKeepsMemoryWhenKilled() {
    this.keepsMemoryWhenKilled = true;
    return this;
  }

  /** Bytes this process holds from its partitions, all of them together. */
  public long heldBytes() {
    long sum = 0;
    for (long h : held) {
      sum += h;
    }
    return sum;
  }

  /** Whether McKernel was told that the process's proxy is gone (its CLEANUP_PROCESS arrived). */
  public boolean hostGone() {
    return hostGone;
  }

  /** Whether every thread of the process has exited. */
  public boolean exited() {
    return liveThreads == 0;
  }

  public int exitStatus() {
    return exitStatus;
  }

  public int exitSignal() {
    return exitSignal;
  }

  /** The parent's pid for a forked child, else 0. */
  public int parentPid() {
    return parentPid;
  }

  /** Remote faults resolved, and refused (the page lay in no area). */
  public long resolved() {
    return resolved;
  }

  public long refused() {
    return refused;
  }

  /** Pages McKernel has mapped for this process, by fault or premap. */
  public long mappedPages() {
    return (premapped.total() + faulted.total()) / PAGE;
  }

  /** Demand faults taken (remote ones included). */
  public long pageFaults() {
    return pageFaults;
  }

  /** Demand faults so far (local and remote), by the size of the page each mapped: [4 KiB, 2 MiB, 1 GiB]. */
  public long[] faultsBySize() {
    return faultsBySize.clone();
  }

  /** Pages premapped so far, by size: [4 KiB, 2 MiB, 1 GiB]. */
  public long[] premappedPages() {
    return premappedPages.clone();
  }

  /** The heap's current end (the break). */
  public long heapEnd() {
    return heapEnd;
  }

  /** Bytes premapped at mmap. */
  public long premappedBytes() {
    return premapped.total();
  }
}
