package io.mcksim.workloads;

/**
 * FTQ's count ({@link Op.FixedTime}), the same on every kind of CPU: the units of work done in each
 * fixed quantum, a unit cut by a quantum's end counting in the next. Quanta that nothing interrupts do
 * the same work; once such a quantum leaves the same carry it found, every quiet quantum after it
 * counts the same units, and the run of them up to the CPU's next interruption is logged in one step,
 * exactly as quantum by quantum.
 */
public final class FixedTimeQuanta {

  private FixedTimeQuanta() {}

  /** What the quanta run on. */
  public interface Cpu {
    /** The work the CPU gets done from {@code from} to {@code to}; called for times that only go forward. */
    long workBetween(long from, long to);

    /**
     * When the CPU is next interrupted from {@code t} on: {@code t} itself if it is then, or
     * {@link Long#MAX_VALUE} if never.
     */
    long quietUntil(long t);
  }

  /** Runs {@code f}'s quanta on {@code cpu} from {@code now}, each one's units into {@code counts}; returns their time. */
  public static long run(Op.FixedTime f, long now, Cpu cpu, LatencyLog counts) {
    long q = f.quantumNs();
    long unit = f.unitNs();
    long carry = 0;
    long t = now;
    for (long k = 0; k < f.quanta(); ) {
      long quiet = (cpu.quietUntil(t) - t) / q;
      if (quiet > 0 && (q + carry) % unit == carry) {
        long n = Math.min(quiet, f.quanta() - k);
        counts.add((q + carry) / unit, n);
        t += n * q;
        k += n;
        continue;
      }
      long work = cpu.workBetween(t, t + q) + carry;
      counts.add(work / unit);
      carry = work % unit;
      t += q;
      k++;
    }
    return t - now;
  }
}
