package io.mcksim.workloads;

import java.util.Map;
import java.util.NavigableMap;

/**
 * The /proc and /sys files a process reads to learn about the machine and itself, and what each shows.
 * The kernel the process runs on fills the {@link Snapshot}: a McKernel process sees McKernel's view
 * (mcctrl's {@code /proc/mcos0} and {@code /sys/devices/virtual/mcos/mcos0/sys}, which mcexec's overlay
 * puts at /proc and /sys: McKernel's CPUs numbered from 0, McKernel's memory, its own address space),
 * rendered by McKernel and fetched over IKC on each read; a Linux process sees Linux's.
 *
 * <p>Paths under /proc and /sys that are not listed here are plain Linux files and read as such.
 */
public final class ProcView {

  /** A file of the view; the id travels in the IKC packets. */
  public enum File {
    /** 0 is "not a view file" in the packets. */
    NONE(""),
    SELF_STATUS("/proc/self/status"),
    SELF_MAPS("/proc/self/maps"),
    CPUINFO("/proc/cpuinfo"),
    CPU_ONLINE("/sys/devices/system/cpu/online"),
    CPU_POSSIBLE("/sys/devices/system/cpu/possible"),
    CPU_PRESENT("/sys/devices/system/cpu/present"),
    MEMINFO("/proc/meminfo");

    private final String path;

    File(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }

    /** The file a packet's id names. */
    public static File ofId(long id) {
      File[] all = values();
      if (id < 0 || id >= all.length) {
        throw new IllegalArgumentException("no /proc or /sys view file has id " + id);
      }
      return all[(int) id];
    }
  }

  /**
   * What the files show of a process and its instance.
   *
   * @param pid          the process's pid (its proxy's)
   * @param threads      its live threads
   * @param cpus         the instance's McKernel CPUs (numbered 0..cpus-1 inside McKernel)
   * @param areas        its virtual memory areas, start to end (exclusive)
   * @param heapStart    where its heap starts
   * @param heapEnd      its current break
   * @param residentBytes memory mapped for it (premapped and faulted in)
   * @param memTotal     the instance's memory, over all its NUMA partitions
   * @param memFree      what of it no process holds
   */
  public record Snapshot(int pid, int threads, int cpus, NavigableMap<Long, Long> areas, long heapStart,
      long heapEnd, long residentBytes, long memTotal, long memFree) {}

  private ProcView() {}

  /**
   * The view file {@code path} names, {@link File#NONE} for any other path. {@code /proc/<pid>/...}
   * names the same file as {@code /proc/self/...} when {@code pid} is the caller's.
   */
  public static File lookup(String path, int callerPid) {
    if (path == null) {
      return File.NONE;
    }
    String p = path.startsWith("/proc/" + callerPid + "/")
        ? "/proc/self/" + path.substring(("/proc/" + callerPid + "/").length()) : path;
    for (File f : File.values()) {
      if (f != File.NONE && f.path.equals(p)) {
        return f;
      }
    }
    return File.NONE;
  }

  /** How many of {@code size} bytes a read from {@code offset} gets of a file of {@code length} bytes. */
  public static long readable(long length, long offset, long size) {
    return Math.max(0, Math.min(size, length - offset));
  }

  /** The file's whole content for the process and instance of {@code s}. */
  public static String render(File file, Snapshot s) {
    return switch (file) {
      case NONE -> throw new IllegalArgumentException("not a /proc or /sys view file");
      case SELF_STATUS -> status(s);
      case MEMINFO -> "MemTotal:       " + s.memTotal() / 1024 + " kB\n"
          + "MemFree:        " + s.memFree() / 1024 + " kB\n"
          + "MemAvailable:   " + s.memFree() / 1024 + " kB\n";
      case SELF_MAPS -> maps(s);
      case CPUINFO -> cpuinfo(s);
      case CPU_ONLINE, CPU_POSSIBLE, CPU_PRESENT -> (s.cpus() == 1 ? "0" : "0-" + (s.cpus() - 1)) + "\n";
    };
  }

  private static String status(Snapshot s) {
    long kib = 1024;
    long vm = 0;
    for (Map.Entry<Long, Long> a : s.areas().entrySet()) {
      vm += a.getValue() - a.getKey();
    }
    return "Name:\tmcexec\n"
        + "State:\tR (running)\n"
        + "Tgid:\t" + s.pid() + "\n"
        + "Pid:\t" + s.pid() + "\n"
        + "Threads:\t" + s.threads() + "\n"
        + "VmSize:\t" + vm / kib + " kB\n"
        + "VmRSS:\t" + s.residentBytes() / kib + " kB\n"
        + "VmData:\t" + vm / kib + " kB\n"
        + "Cpus_allowed_list:\t" + (s.cpus() == 1 ? "0" : "0-" + (s.cpus() - 1)) + "\n";
  }

  private static String maps(Snapshot s) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<Long, Long> a : s.areas().entrySet()) {
      boolean heap = s.heapEnd() > s.heapStart() && a.getKey() == s.heapStart();
      b.append(String.format("%08x-%08x rw-p 00000000 00:00 0", a.getKey(), a.getValue()))
          .append(heap ? " [heap]\n" : "\n");
    }
    return b.toString();
  }

  private static String cpuinfo(Snapshot s) {
    StringBuilder b = new StringBuilder();
    for (int cpu = 0; cpu < s.cpus(); cpu++) {
      b.append("processor\t: ").append(cpu).append('\n')
          .append("core id\t\t: ").append(cpu).append('\n')
          .append("cpu cores\t: ").append(s.cpus()).append('\n')
          .append('\n');
    }
    return b.toString();
  }
}
