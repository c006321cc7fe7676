package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.linux.Offload;
import io.mcksim.workloads.Program;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** Where a process's initial data area starts. */
  public static final long DATA_START = 0x10000;

  /** Resolve the page of {@code request.arg()} for a proxy; answer the CPU after {@code delay}. */
  public record Resolve(IkcPacket request, long delay) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return request.fingerprint() ^ delay;
    }
  }

  /** The page is (now) mapped, or lies in no area. */
  public record Resolved(IkcPacket request, boolean ok) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return request.fingerprint() * 31 + (ok ? 1 : 0);
    }
  }

  /** An mmap made {@code [start, start + length)} part of the address space. */
  public record MapRegion(long start, long length) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(start) ^ length;
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
  public record ForkRequest(int tid, int cpuEntity, Program child) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) tid << 32) ^ cpuEntity ^ RandomStreams.fnv1a64(child.name());
    }
  }

  /**
   * This slot becomes the child of {@code parentPid}, with a copy of its areas and one thread, on the
   * CPU entity {@code cpu}.
   */
  public record Adopt(int parentPid, List<long[]> areas, int cpu) implements Fingerprinted, SimMessage {
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

  /** To a CPU: end this process's threads there. */
  public record Kill(int pid, int signal) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) pid << 32) ^ signal;
    }
  }

  private final int pid;
  private final int proxy;
  /** The CPU entities its threads run on. */
  private final java.util.TreeSet<Integer> threadCpus = new java.util.TreeSet<>();
  private final int processTable;
  private final long hop;
  private int liveThreads;
  private int parentPid;
  private int exitStatus = -1;
  private int exitSignal;
  /** Areas: start to end (exclusive), not overlapping. */
  private final TreeMap<Long, Long> areas = new TreeMap<>();
  private final Set<Long> mapped = new HashSet<>();
  private long resolved;
  private long refused;

  /**
   * @param proxy        its proxy's entity
   * @param processTable the node's process table entity (for fork)
   * @param hop          delay of a message between entities of the node
   * @param threadCpuEntities the CPU entity of each thread it starts with (none for a slot waiting
   *                     for a fork)
   */
  public McProcess(int pid, long dataBytes, int proxy, int processTable, long hop,
      List<Integer> threadCpuEntities) {
    this.pid = pid;
    this.threadCpus.addAll(threadCpuEntities);
    int threads = threadCpuEntities.size();
    this.proxy = proxy;
    this.processTable = processTable;
    this.hop = hop;
    this.liveThreads = threads;
    if (dataBytes > 0) {
      areas.put(DATA_START, DATA_START + dataBytes);
    }
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Resolve r) {
      long address = r.request().arg();
      boolean ok = contains(address);
      if (ok) {
        mapped.add(address >>> 12);
        resolved++;
      } else {
        refused++;
      }
      ctx.send(source, r.delay(), 0, new Resolved(r.request(), ok));
    } else if (payload instanceof ThreadExited t) {
      if (t.signal() != 0 && exitSignal == 0) {
        exitSignal = t.signal();
      }
      if (--liveThreads == 0) {
        exitStatus = exitSignal != 0 ? -1 : t.status();
        // exit_group goes to Linux: the proxy exits the same way, and its launcher sees it
        ctx.send(proxy, hop, 0, new Offload.ProcessExited(exitStatus, exitSignal));
      }
    } else if (payload instanceof ForkRequest f) {
      List<long[]> copy = new ArrayList<>();
      for (Map.Entry<Long, Long> e : areas.entrySet()) {
        copy.add(new long[] {e.getKey(), e.getValue()});
      }
      ctx.send(processTable, hop, 0, new ProcessTable.Fork(pid, f.tid(), f.cpuEntity(), f.child(), copy));
    } else if (payload instanceof Adopt a) {
      parentPid = a.parentPid();
      areas.clear();
      mapped.clear();
      for (long[] area : a.areas()) {
        areas.put(area[0], area[1]);
      }
      liveThreads = 1;
      threadCpus.clear();
      threadCpus.add(a.cpu());
      exitStatus = -1;
      exitSignal = 0;
    } else if (payload instanceof KillProcess k) {
      if (liveThreads > 0 && exitSignal == 0) {
        exitSignal = k.signal();
        for (int cpu : threadCpus) {
          ctx.send(cpu, hop, 0, new Kill(pid, k.signal()));
        }
      }
    } else if (payload instanceof MapRegion m) {
      map(m.start(), m.start() + m.length());
    } else if (payload instanceof UnmapRegion u) {
      unmap(u.start(), u.start() + u.length());
    } else {
      throw new IllegalArgumentException("process " + pid + " got an unknown message " + payload);
    }
  }

  private boolean contains(long address) {
    Map.Entry<Long, Long> e = areas.floorEntry(address);
    return e != null && address < e.getValue();
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
    mapped.removeIf(page -> (page << 12) >= start && (page << 12) < end);
  }

  public int pid() {
    return pid;
  }

  /** The exit status, or -1 while it runs or when a signal killed it. */
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

  /** Pages McKernel has mapped for this process. */
  public int mappedPages() {
    return mapped.size();
  }
}
