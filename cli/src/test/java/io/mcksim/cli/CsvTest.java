package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

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

  @Test
  void numbersAndNullsAreWrittenPlainly() {
    String text = new Csv("n", "x").row(42L, null).row(7, "a,b").text();
    assertThat(text).isEqualTo("n,x\n42,\n7,\"a,b\"\n");
  }
}
