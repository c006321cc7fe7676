package io.mcksim.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A CSV file written as bytes, row by row as its rows come, for tables of millions of rows: integers
 * go in as their digits, without a string; a text cell is quoted as {@link Csv} quotes it, and the
 * bytes of a column's text are made once for as long as the same text repeats (a core's name, row
 * after row). Nothing of a row outlives it.
 */
final class CsvOut implements Closeable {

  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int column;
  /** The text last written in each column, and its bytes as written there. */
  private String[] lastText = new String[4];
  private byte[][] lastBytes = new byte[4][];

  CsvOut(OutputStream out) {
    this.out = out;
  }

  /** Text written as it is, between rows (a table's head, as {@link Csv} wrote it). */
  CsvOut raw(String text) throws IOException {
    write(text.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** The next cell: text. */
  CsvOut text(String value) throws IOException {
    if (column >= lastText.length) {
      lastText = java.util.Arrays.copyOf(lastText, column * 2);
      lastBytes = java.util.Arrays.copyOf(lastBytes, column * 2);
    }
    if (value != lastText[column]) {
      StringBuilder sb = new StringBuilder();
      Csv.FORMAT.print(value, sb, column == 0);
      lastText[column] = value;
      lastBytes[column] = sb.toString().getBytes(StandardCharsets.UTF_8);
    }
    write(lastBytes[column]); // the delimiter before a later column included
    column++;
    return this;
  }

  /** The next cell: an integer, as {@link Long#toString} writes it. */
  CsvOut integer(long value) throws IOException {
    if (column > 0) {
      put((byte) ',');
    }
    if (buf.length - pos < 20) {
      flushBuffer();
    }
    if (value == Long.MIN_VALUE) {
      write(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    } else {
      long v = Math.abs(value);
      int digits = 1;
      for (long p = 10; digits < 19 && v >= p; p *= 10) {
        digits++;
      }
      if (value < 0) {
        buf[pos++] = '-';
      }
      for (int i = pos + digits - 1; i >= pos; i--) {
        buf[i] = (byte) ('0' + v % 10);
        v /= 10;
      }
      pos += digits;
    }
    column++;
    return this;
  }

  /** Ends the row. */
  void end() throws IOException {
    put((byte) '\n');
    column = 0;
  }

  /** Writes out what is buffered. */
  void flush() throws IOException {
    flushBuffer();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flushBuffer();
    out.close();
  }

  private void put(byte b) throws IOException {
    if (pos == buf.length) {
      flushBuffer();
    }
    buf[pos++] = b;
  }

  private void write(byte[] bytes) throws IOException {
    if (bytes.length > buf.length - pos) {
      flushBuffer();
      if (bytes.length > buf.length) {
        out.write(bytes);
        return;
      }
    }
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  private void flushBuffer() throws IOException {
    out.write(buf, 0, pos);
    pos = 0;
  }
}
