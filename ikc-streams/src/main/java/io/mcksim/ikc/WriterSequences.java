package io.mcksim.ikc;

import java.util.Arrays;

/**
 * A sequence number per writing entity, for the two places that follow each writer of a channel: a
 * reader's expected numbers ({@link IkcReceiver}) and a transport lane's last numbers seen
 * ({@link IkcTransport}). The first writer's number lies in two fields (most channels have one writer,
 * and a machine has millions of channels), any others' in two short arrays whose room doubles as they
 * first write (a Linux CPU's ring takes packets from all 48 McKernel CPUs of its node; growing a slot at
 * a time copied both arrays 47 times). A holder with one writer or none shares the empty arrays.
 */
abstract class WriterSequences {

  private static final int[] NO_WRITERS = {};
  private static final long[] NO_SEQUENCES = {};
  /** No writer yet (no entity has this id, not even one outside the model). */
  private static final int NONE = Integer.MIN_VALUE;
  /** The slot of the first writer's number. */
  private static final int FIRST = -1;

  private int firstWriter = NONE;
  private long firstSequence;
  private int[] writers = NO_WRITERS;
  private long[] sequences = NO_SEQUENCES;
  /** Writers in the two arrays. */
  private int others;

  /**
   * Where {@code writer}'s number lies, for {@link #sequence} and {@link #setSequence}; a writer not yet
   * seen gets a slot holding {@code initial}.
   */
  final int slot(int writer, long initial) {
    if (writer == firstWriter) {
      return FIRST;
    }
    if (firstWriter == NONE) {
      firstWriter = writer;
      firstSequence = initial;
      return FIRST;
    }
    for (int i = 0; i < others; i++) {
      if (writers[i] == writer) {
        return i;
      }
    }
    if (others == writers.length) {
      int room = Math.max(2, 2 * others);
      writers = Arrays.copyOf(writers, room);
      sequences = Arrays.copyOf(sequences, room);
    }
    writers[others] = writer;
    sequences[others] = initial;
    return others++;
  }

  final long sequence(int slot) {
    return slot == FIRST ? firstSequence : sequences[slot];
  }

  final void setSequence(int slot, long sequence) {
    if (slot == FIRST) {
      firstSequence = sequence;
    } else {
      sequences[slot] = sequence;
    }
  }
}
