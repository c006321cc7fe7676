package io.mcksim.config;

/**
 * The {@code costs.mckernel} section, in ns: McKernel's tick while a CPU is oversubscribed, its page
 * faults, and its cores' clock.
 *
 * @param tickInterval ticks fall at absolute multiples of this
 * @param tickCost     what one tick takes from the thread that runs
 * @param pageFault    a demand fault on a 4 KiB page: allocate, clear and map it
 * @param clockMhz     the cores' clock, for the cycles the performance counters count
 * @param largestPage  the largest page McKernel maps, in bytes: {@link #PAGE_4K}, {@link #PAGE_2M} or
 *                     {@link #PAGE_1G} (x86_64 maps 1 GiB pages when the CPU has them, CPUID pdpe1gb)
 * @param pageClear    clearing each further 4 KiB of a larger page a demand fault maps
 */
public record McKernelCosts(long tickInterval, long tickCost, long pageFault, long clockMhz, long largestPage,
    long pageClear) {

  /** McKernel's page sizes on x86_64. */
  public static final long PAGE_4K = 4096;
  public static final long PAGE_2M = 2L << 20;
  public static final long PAGE_1G = 1L << 30;

  /** Costs with the default clock of a Knights Landing core, 1,400 MHz. */
  public McKernelCosts(long tickInterval, long tickCost, long pageFault) {
    this(tickInterval, tickCost, pageFault, 1_400);
  }

  /** Costs with 4 KiB pages only (no large page is faulted in). */
  public McKernelCosts(long tickInterval, long tickCost, long pageFault, long clockMhz) {
    this(tickInterval, tickCost, pageFault, clockMhz, PAGE_4K, 0);
  }

  public McKernelCosts {
    if (largestPage != PAGE_4K && largestPage != PAGE_2M && largestPage != PAGE_1G) {
      throw new IllegalArgumentException("the largest page must be 4 KiB, 2 MiB or 1 GiB, got " + largestPage);
    }
  }

  /** What a demand fault that maps one page of {@code bytes} costs: the fault, and clearing the rest. */
  public long fault(long bytes) {
    return pageFault + (bytes / PAGE_4K - 1) * pageClear;
  }

  /** Cycles of a CPU at this clock in {@code ns} nanoseconds. */
  public long cycles(long ns) {
    return Math.multiplyExact(ns, clockMhz) / 1_000;
  }

  /**
   * When work of {@code work} ns started at {@code start} ends if every tick in between takes
   * {@code tickCost}: the smallest end with {@code end - start - ticks(start, end) x tickCost == work},
   * counting ticks at multiples of the interval in [start, end).
   */
  public long stretch(long start, long work) {
    if (tickCost == 0 || work == 0) {
      return start + work;
    }
    long end = start + work;
    while (true) {
      long ticks = ticksIn(start, end);
      long next = start + work + ticks * tickCost;
      if (next == end) {
        return end;
      }
      end = next;
    }
  }

  /** Ticks at multiples of the interval in [from, to). */
  public long ticksIn(long from, long to) {
    if (to <= from) {
      return 0;
    }
    long first = (from + tickInterval - 1) / tickInterval;
    long last = (to - 1) / tickInterval;
    return Math.max(0, last - first + 1);
  }
}
