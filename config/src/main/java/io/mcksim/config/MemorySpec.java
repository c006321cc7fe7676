package io.mcksim.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory request written the way IHK's tools write it: {@code 512M@0,1G@1} (size at NUMA node), or
 * {@code all} (everything available, on every node) or {@code all@1}. Sizes take K, M, G or T (binary
 * units). IHK reserves memory in 4 MiB units, so each size is rounded up to a multiple of 4 MiB.
 *
 * @param chunks the requested sizes per NUMA node, in the order written; empty when {@code all}
 * @param all    {@code all} or {@code all@N}
 * @param allNuma the NUMA node of {@code all@N}, or -1 for every node
 */
public record MemorySpec(List<Chunk> chunks, boolean all, int allNuma) {

  /** The largest size one request may name (1 PiB): keeps every sum of sizes far from overflow. */
  public static final long MAX_BYTES = 1L << 50;

  /** NUMA node ids a request may name: 0-1023 (Linux's MAX_NUMNODES on x86_64 is 1,024). */
  public static final int MAX_NUMA = 1024;

  /** IHK's reservation granule. */
  public static final long UNIT = 4L << 20;

  /** {@code bytes} on NUMA node {@code numa}. */
  public record Chunk(long bytes, int numa) {}

  private static final Pattern CHUNK = Pattern.compile("(\\d+)\\s*([KMGT]?)i?B?@(\\d+)",
      Pattern.CASE_INSENSITIVE);

  public MemorySpec {
    chunks = List.copyOf(chunks);
  }

  public static MemorySpec parse(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("all")) {
      return new MemorySpec(List.of(), true, -1);
    }
    if (t.toLowerCase(Locale.ROOT).startsWith("all@")) {
      int numa;
      String n = t.substring(4).trim();
      if (!n.matches("\\d{1,4}") || Integer.parseInt(n) >= MAX_NUMA) {
        throw bad(text);
      }
      numa = Integer.parseInt(n);
      return new MemorySpec(List.of(), true, numa);
    }
    List<Chunk> chunks = new ArrayList<>();
    String[] parts = t.split(",");
    if (parts.length > 1024) {
      throw new IllegalArgumentException("'" + text + "': at most 1024 size@numa pairs");
    }
    for (String part : parts) {
      Matcher m = CHUNK.matcher(part.trim());
      if (!m.matches()) {
        throw bad(text);
      }
      long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
        case "K" -> 1L << 10;
        case "M" -> 1L << 20;
        case "G" -> 1L << 30;
        case "T" -> 1L << 40;
        default -> 1L;
      };
      // more than 16 digits is more than MAX_BYTES in any unit; fewer never overflows a long times a unit
      long bytes = m.group(1).length() > 16 ? Long.MAX_VALUE : Long.parseLong(m.group(1)) * unit;
      if (bytes <= 0) {
        throw new IllegalArgumentException("'" + text + "': a memory size must be positive");
      }
      if (bytes > MAX_BYTES) {
        throw new IllegalArgumentException("'" + text + "': " + part.trim() + " is larger than any node"
            + " (at most " + format(MAX_BYTES) + " per request)");
      }
      if (m.group(3).length() > 4 || Integer.parseInt(m.group(3)) >= MAX_NUMA) {
        throw new IllegalArgumentException("'" + text + "': NUMA node " + m.group(3) + " is out of range; NUMA"
            + " nodes are 0-" + (MAX_NUMA - 1));
      }
      chunks.add(new Chunk(roundUp(bytes), Integer.parseInt(m.group(3))));
    }
    return new MemorySpec(chunks, false, -1);
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("'" + text + "' is not a memory request; write size@numa pairs"
        + " such as 512M@0,1G@1, or all, or all@0");
  }

  /** Rounds up to IHK's 4 MiB reservation unit. */
  public static long roundUp(long bytes) {
    return (bytes + UNIT - 1) / UNIT * UNIT;
  }

  /** Bytes requested on {@code numa} (0 for {@code all}). */
  public long bytesOn(int numa) {
    long sum = 0;
    for (Chunk c : chunks) {
      if (c.numa() == numa) {
        sum += c.bytes();
      }
    }
    return sum;
  }

  @Override
  public String toString() {
    if (all) {
      return allNuma < 0 ? "all" : "all@" + allNuma;
    }
    StringBuilder sb = new StringBuilder();
    for (Chunk c : chunks) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(format(c.bytes())).append('@').append(c.numa());
    }
    return sb.toString();
  }

  /** A byte count the way the tools print it: the largest binary unit that divides it. */
  public static String format(long bytes) {
    String[] units = {"T", "G", "M", "K"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long u = 1L << shifts[i];
      if (bytes >= u && bytes % u == 0) {
        return (bytes / u) + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
