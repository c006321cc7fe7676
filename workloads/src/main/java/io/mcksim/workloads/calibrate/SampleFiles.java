package io.mcksim.workloads.calibrate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the per-iteration samples of FWQ or FTQ runs recorded on a real machine, one series per core,
 * in any of these forms (blank lines and lines starting with {@code #} are skipped everywhere):
 *
 * <ul>
 *   <li>one number per line: the file is one core;</li>
 *   <li>a column per core, separated by commas, semicolons, tabs or spaces, with or without a header
 *       line (a first line with a field that is not a number names the columns);</li>
 *   <li>mcksim's own {@code fwq-samples.csv} or {@code ftq-samples.csv} (header {@code kernel,cpu,
 *       iteration,ns} or {@code ...,units}): its Linux cores, one series per CPU.</li>
 * </ul>
 *
 * A value is a number, with a fraction or an exponent allowed (times are scaled by the unit the caller
 * gives and rounded to the ns); FTQ counts are the units of work done per quantum. Anything else stops
 * the read with an {@link IllegalArgumentException} that names the file, the line and the fix.
 */
public final class SampleFiles {

  private SampleFiles() {}

  /** Samples read in all, over every file: 160 MB of longs. */
  public static final int MAX_SAMPLES = 20_000_000;

  /** The longest line read, in characters. */
  public static final int MAX_LINE = 1 << 16;

  /** One core's samples in order, named by its file and column (or CPU). */
  public record Series(String name, long[] values) {}

  private static final Pattern SEPARATOR = Pattern.compile("\\s*[,;\\t]\\s*|\\s+");

  /** How to read the values: FWQ times scaled to ns by {@code nsPerUnit}, or FTQ counts as they are. */
  public static List<Series> read(List<Path> files, double nsPerUnit) {
    List<Series> out = new ArrayList<>();
    long[] total = {0};
    for (Path f : files) {
      out.addAll(readOne(f, nsPerUnit, total));
    }
    return out;
  }

  private static List<Series> readOne(Path file, double nsPerUnit, long[] total) {
    check(file);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      return new Reading(file.toString(), nsPerUnit, total).read(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** A samples file as given, checked to be one: an existing regular, readable file. */
  public static void check(Path f) {
    String how = "; give the file(s) of per-iteration samples your FWQ or FTQ run wrote";
    if (Files.isDirectory(f)) {
      throw new IllegalArgumentException(f + ": is a folder, not a samples file" + how);
    }
    if (!Files.exists(f)) {
      throw new IllegalArgumentException(f + ": no such samples file" + how);
    }
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(f + ": not a regular file (a device, a pipe?); save the samples to a "
          + "file first");
    }
  }

  /** One file being read. */
  private static final class Reading {
    private final String name;
    private final double scale;
    private final long[] total;
    private final Map<String, LongColumn> columns = new LinkedHashMap<>();
    private List<String> header;
    private boolean mcksim;
    private long line;

    Reading(String name, double scale, long[] total) {
      this.name = name;
      this.scale = scale;
      this.total = total;
    }

    List<Series> read(Reader in) throws IOException {
      StringBuilder sb = new StringBuilder();
      boolean first = true;
      while (readLine(in, sb)) {
        line++;
        String text = sb.toString().strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        String[] fields = SEPARATOR.split(text);
        if (first) {
          first = false;
          if (!numeric(fields[0]) || fields.length > 1 && anyText(fields)) {
            header(fields);
            continue;
          }
        }
        row(fields, text);
      }
      if (line == 0 || columns.isEmpty()) {
        throw new IllegalArgumentException(name + ": no samples" + (header != null ? " below its header" : "")
            + "; a samples file holds one iteration time (FTQ: count) per line, or one column per core");
      }
      List<Series> out = new ArrayList<>();
      columns.forEach((k, v) -> out.add(new Series(k, v.toArray())));
      return out;
    }

    private void header(String[] fields) {
      List<String> names = new ArrayList<>();
      for (String f : fields) {
        names.add(f.toLowerCase(Locale.ROOT));
      }
      mcksim = names.size() == 4 && names.subList(0, 3).equals(List.of("kernel", "cpu", "iteration"))
          && (names.get(3).equals("ns") || names.get(3).equals("units"));
      header = List.of(fields);
    }

    private void row(String[] fields, String text) {
      if (mcksim) {
        if (fields.length != 4) {
          throw bad(fields.length + " fields; mcksim's samples have 4 (kernel,cpu,iteration,ns)", text);
        }
        if (fields[0].equalsIgnoreCase("linux")) {
          add("linux cpu " + fields[1], fields[3], text);
        }
        return;
      }
      int width = header != null ? header.size() : columns.isEmpty() ? fields.length : columns.size();
      if (fields.length != width) {
        throw bad(fields.length + " column" + (fields.length == 1 ? "" : "s") + ", but "
            + (header != null ? "the header has " + width : "the first row has " + width)
            + "; every row needs one value per core (a missing value cannot be guessed: cut the file to its"
            + " complete rows)", text);
      }
      for (int c = 0; c < fields.length; c++) {
        String column = header != null ? name + ":" + header.get(c)
            : fields.length == 1 ? name : name + ":column " + (c + 1);
        add(column, fields[c], text);
      }
    }

    private void add(String column, String field, String text) {
      double v;
      try {
        v = Double.parseDouble(field);
      } catch (NumberFormatException e) {
        throw bad("'" + shown(field) + "' is not a number; a samples file holds numbers only (a header"
            + " line first at most, comment lines starting with #)", text);
      }
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw bad(shown(field) + " cannot be an iteration time or a count: it must be 0 or more", text);
      }
      double ns = v * scale;
      if (ns > 1e17) {
        throw bad(shown(field) + " is more than 10^17 ns (3 years) for one iteration; is --unit right?", text);
      }
      if (++total[0] > MAX_SAMPLES) {
        throw bad(String.format(Locale.ROOT, "more than %,d samples in all; a fit needs far fewer (take the"
            + " first 100,000 iterations of each core)", MAX_SAMPLES), text);
      }
      columns.computeIfAbsent(column, k -> new LongColumn()).add(Math.round(ns));
    }

    private IllegalArgumentException bad(String why, String text) {
      return new IllegalArgumentException(name + ":" + line + ": " + why + ": " + shown(text));
    }

    /** Reads one line into {@code sb}; false at the end. A line longer than {@link #MAX_LINE} is refused. */
    private boolean readLine(Reader in, StringBuilder sb) throws IOException {
      sb.setLength(0);
      int c;
      boolean any = false;
      while ((c = in.read()) >= 0) {
        any = true;
        if (c == '\n') {
          return true;
        }
        if (c == 0) {
          throw new IllegalArgumentException(name + ":" + (line + 1) + ": a NUL character: this is not a text "
              + "file; give the samples as text, one number per line or one column per core");
        }
        if (sb.length() >= MAX_LINE) {
          throw new IllegalArgumentException(name + ":" + (line + 1) + ": a line longer than " + MAX_LINE
              + " characters; a samples file has one value per core a line");
        }
        sb.append((char) c);
      }
      return any;
    }
  }

  private static boolean numeric(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean anyText(String[] fields) {
    for (String f : fields) {
      if (!numeric(f)) {
        return true;
      }
    }
    return false;
  }

  private static String shown(String s) {
    String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
    return t.replaceAll("[^\\p{Print}]", "?");
  }

  /** A growable column of longs. */
  private static final class LongColumn {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
