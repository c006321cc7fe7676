package io.mcksim.config;

/**
 * The bounds a scenario must stay within, each with the reason for its value: those of its text, checked
 * before it is parsed, which keep the parser's time and memory linear in the input and its recursion
 * shallow; and those of numbers that several keys share. reference.conf documents them for the user,
 * and each key's own range where the key is.
 */
public final class InputLimits {

  private InputLimits() {}

  /**
   * The scenario text, the file and every file it includes together, at most 1 MiB. The shipped
   * examples are under 10 KB; 1 MiB of HOCON (500,000 list elements, 30,000 keys) parses in a few
   * seconds within about 100 MB of heap, leaving the rest of a 512 MB heap to the run.
   */
  public static final int MAX_TEXT_BYTES = 1 << 20;

  /**
   * Includes nest at most 8 deep (a file, a file it includes, ...): enough for any layering of shared
   * settings, and a bound on an include cycle's work before it is reported.
   */
  public static final int MAX_INCLUDE_DEPTH = 8;

  /**
   * Braces and brackets nest at most 320 deep, counting the levels around an include with those of the
   * included file. The deepest shipped example nests 7; a program file's fork, spawn-thread, exec and
   * repeat take three levels each, so programs nested to their own limit of 100 still fit. The parser
   * recurses per level and takes 0.5 to 1 KB of stack for each (measured: 500 levels overflow a 256 KiB
   * thread stack, 2,000 a 1 MiB one), so 320 levels stay inside a default 1 MiB thread stack.
   */
  public static final int MAX_NESTING = 320;

  /**
   * The effective configuration, rendered, at most 4 MiB: the scenario text's limit plus what
   * substitutions may reasonably copy. A scenario whose substitutions would expand beyond it (a value
   * built of itself twice, again and again, doubles at each step) is refused before it is expanded.
   */
  public static final long MAX_EXPANDED_CHARS = 4L << 20;

  /**
   * Fields of one object parsed at once. The HOCON parser merges each dotted key into its object by
   * copying it, which is quadratic in the fields of that object; larger objects are parsed in pieces of
   * this many fields and merged pairwise, which keeps the whole linear.
   */
  static final int FIELDS_PER_PIECE = 256;

  /**
   * Any one duration at most 10^15 ns (1,000,000 s, 11.6 days of virtual time): far beyond any run
   * modelled here, and 4,096 of them (one per CPU of a node) still add up within the 292 years a 64-bit
   * count of nanoseconds holds.
   */
  public static final long MAX_DURATION_NS = 1_000_000_000_000_000L;

  /**
   * A time derived from several keys (iterations times a quantum, a boot's sum over CPUs and memory) at
   * most 10^17 ns (3.2 years of virtual time): 90 times below where the run's 64-bit clock overflows,
   * room for what noise and queueing add to it.
   */
  public static final long MAX_DERIVED_NS = 100_000_000_000_000_000L;

  /**
   * One transfer (a read or write's buffer, a message) at most 2,147,479,552 bytes, Linux's own limit on
   * one read or write (MAX_RW_COUNT).
   */
  public static final long MAX_TRANSFER_BYTES = 0x7ffff000L;

  /**
   * Simulated CPUs of a machine (machine.nodes times machine.cpus) at most 2^24 = 16,777,216. A
   * simulated CPU takes 1.4 to 1.7 KB of heap in a BSP run (README, Scale), so this is up to 28 GB, more
   * than the largest heap this runs in; Fugaku (158,976 nodes of 48 CPUs, 7.6 million) fits.
   */
  public static final int MAX_SIMULATED_CPUS = 1 << 24;
}
