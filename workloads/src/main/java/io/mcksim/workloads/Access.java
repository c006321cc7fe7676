package io.mcksim.workloads;

/** How a {@link Op.Touch} accesses memory: reading, or writing (which also faults in copy-on-write pages). */
public enum Access {
  /** Loads from the range. */
  READ,
  /** Stores to the range. */
  WRITE
}
