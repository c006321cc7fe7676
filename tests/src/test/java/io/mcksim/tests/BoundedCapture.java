package io.mcksim.tests;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output and error of one command, interleaved as a terminal shows them: keeps the first
 * {@code keep} bytes and counts every byte, so a command that prints without end cannot fill the heap.
 */
final class BoundedCapture extends OutputStream {

  private final int keep;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private long total;

  BoundedCapture(int keep) {
    this.keep = keep;
  }

  @Override
  public synchronized void write(int b) {
    if (total < keep) {
      kept.write(b);
    }
    total++;
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int room = (int) Math.max(0, Math.min(len, keep - total));
    kept.write(b, off, room);
    total += len;
  }

  /** Every byte written, kept or not. */
  synchronized long total() {
    return total;
  }

  /** The bytes kept, as text. */
  synchronized String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }
}
