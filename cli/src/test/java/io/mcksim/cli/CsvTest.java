package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every cell of mcksim's CSV tables reads back as it was written. */
class CsvTest {

  @Test
  void cellsWithCommasQuotesAndLineBreaksSurviveARoundTrip() throws Exception {
    String[][] rows = {
        {"done 2, failed 2", "application killed, Linux down", "plain"},
        {"say \"hi\"", "two\nlines", "crlf\r\nend"},
        {"", " leading space", "trailing,"},
    };
    String text = Csv.table(new String[] {"a", "b_ns", "c"}, List.of(rows));

    try (CSVParser p = CSVParser.builder().setReader(new StringReader(text))
        .setFormat(Csv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
      assertThat(p.getHeaderNames()).containsExactly("a", "b_ns", "c");
      List<CSVRecord> back = p.getRecords();
      assertThat(back).hasSize(rows.length);
      for (int i = 0; i < rows.length; i++) {
        assertThat(back.get(i).values()).as("row %d", i).containsExactly(rows[i]);
      }
    }
  }

  /** A report's table: the same cells in its CSV and in report.json, commas, quotes and line breaks kept. */
  @Test
  void aReportTableKeepsEveryCellInItsCsvAndItsJson() throws Exception {
    Report r = new Report(ReportKinds.TRACE, new io.mcksim.config.ScenarioLoader().load(null, List.of()));
    String[] cells = {"done 2, failed 2", "say \"hi\"", "two\nlines", "crlf\r\nend", "trailing,"};
    for (String c : cells) {
      r.row("warnings", c);
    }
    Report.Rows t = r.tables().stream().filter(x -> x.spec.name().equals("warnings")).findFirst().orElseThrow();
    try (CSVParser p = CSVParser.builder().setReader(new StringReader(t.csv.text()))
        .setFormat(Csv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
      assertThat(p.getRecords().stream().map(x -> x.get("warning")).toList()).containsExactly(cells);
    }
    com.typesafe.config.Config json = com.typesafe.config.ConfigFactory.parseString(r.json().toString(),
        com.typesafe.config.ConfigParseOptions.defaults().setSyntax(com.typesafe.config.ConfigSyntax.JSON));
    assertThat(json.getConfigList("tables.warnings.rows").stream().map(x -> x.getString("warning")).toList())
        .containsExactly(cells);
    assertThat(json.getInt("tables.warnings.row_count")).isEqualTo(cells.length);
  }

  /**
   * A bulk table, made as its CSV is written, gives the same CSV, the same rows on the page and the same
   * row count as the same rows added one by one; a cell of the wrong type, or more or fewer rows than
   * announced, are refused.
   */
  @Test
  void aBulkTableWritesWhatRowsAddedOneByOneWrite(@TempDir Path dir) throws Exception {
    String[] kernels = {"linux", "", "say \"hi\"", " leading, comma", "two\nlines", "#hash"};
    long[] values = {0, -1, 42, Long.MAX_VALUE, Long.MIN_VALUE, 100_000};
    Report.BulkRows bulk = out -> {
      for (int i = 0; i < 40 && !out.full(); i++) {
        out.text(kernels[i % kernels.length]).integer(i - 3).integer(i).integer(values[i % values.length]).end();
      }
    };
    Report one = fwqReport();
    for (int i = 0; i < 40; i++) {
      one.row("fwq_samples", kernels[i % kernels.length], i - 3, i, values[i % values.length]);
    }
    Report many = fwqReport().rows("fwq_samples", 40, bulk);
    assertThat(written(many, dir.resolve("bulk"))).isEqualTo(written(one, dir.resolve("one")));
    assertThat(samples(many).text).usingRecursiveComparison().isEqualTo(samples(one).text);
    assertThat(samples(many).text).hasSize(ReportPage.SHOWN_ROWS);
    assertThat(many.json().toString()).contains("\"row_count\": 40");

    assertThatThrownBy(() -> fwqReport().rows("fwq_samples", 1, out -> out.integer(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column kernel is of type string");
    Report wrongCount = fwqReport().rows("fwq_samples", 41, bulk);
    assertThatThrownBy(() -> written(wrongCount, dir.resolve("wrong")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("40 rows written, 41 announced");
  }

  private static Report fwqReport() {
    return new Report(ReportKinds.FWQ, new io.mcksim.config.ScenarioLoader().load(null, List.of()));
  }

  private static Report.Rows samples(Report r) {
    return r.tables().stream().filter(x -> x.spec.name().equals("fwq_samples")).findFirst().orElseThrow();
  }

  /** The report's samples CSV, as its folder is written. */
  private static byte[] written(Report r, Path out) throws Exception {
    try (OutputFolder folder = OutputFolder.claim(out.toString(), "--out", "run")) {
      r.write(folder);
    }
    return Files.readAllBytes(out.resolve("fwq-samples.csv"));
  }

  @Test
  void numbersAndNullsAreWrittenPlainly() {
    String text = new Csv("n", "x").row(42L, null).row(7, "a,b").text();
    assertThat(text).isEqualTo("n,x\n42,\n7,\"a,b\"\n");
  }
}
