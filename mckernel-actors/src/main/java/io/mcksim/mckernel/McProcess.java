package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.ikc.IkcPacket;
import java.util.HashSet;
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

  private final int pid;
  /** Areas: start to end (exclusive), not overlapping. */
  private final TreeMap<Long, Long> areas = new TreeMap<>();
  private final Set<Long> mapped = new HashSet<>();
  private long resolved;
  private long refused;

  public McProcess(int pid, long dataBytes) {
    this.pid = pid;
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
