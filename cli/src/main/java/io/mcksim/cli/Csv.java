package io.mcksim.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A CSV table as mcksim writes every one: RFC 4180 quoting (a cell with a comma, a quote or a line break
 * is quoted, its quotes doubled), so every cell reads back exactly as it was, commas included; records
 * end with a line feed. Column names are snake_case with their unit ({@code runtime_ns}).
 */
final class Csv {

  /** RFC 4180's quoting, with Unix line ends. */
  static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

  private final StringBuilder text = new StringBuilder();
  private final CSVPrinter printer;

  /** A table with these column names. */
  Csv(String... head) {
    try {
      printer = new CSVPrinter(text, FORMAT);
      printer.printRecord((Object[]) head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends one row; each cell is written as its {@code toString()}, {@code null} as an empty cell. */
  Csv row(Object... cells) {
    try {
      printer.printRecord(cells);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The table so far. */
  String text() {
    return text.toString();
  }

  /** A whole table at once. */
  static String table(String[] head, List<String[]> rows) {
    Csv csv = new Csv(head);
    rows.forEach(r -> csv.row((Object[]) r));
    return csv.text();
  }
}
