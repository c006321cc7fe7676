package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of report, made once by its command on a small scale: report.json valid against the kind's
 * published schema (docs/schemas, which must be what {@link ReportSchemas} generates), every CSV the
 * same table as report.json says, and report.html opened in headless Chromium: every chart drawn, no
 * script error, a screenshot taken (target/report-screenshots).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportKindsTest {

  @TempDir
  static Path dir;

  /** Report folder by kind. */
  final Map<String, Path> reports = new LinkedHashMap<>();
  final ObjectMapper mapper = new ObjectMapper();

  private void make(String kind, String... args) {
    Path out = dir.resolve(kind);
    List<String> all = new ArrayList<>(List.of(args));
    int at = args[0].equals("bench") ? 2 : 1; // after the command (and the benchmark)
    all.add(at, "--out");
    all.add(at + 1, out.toString());
    CliRun o = CliRun.of(all.toArray(String[]::new));
    assertThat(o.code()).as(kind + ": " + o.err()).isZero();
    reports.put(kind, out);
  }

  @BeforeAll
  void makeEveryKind() throws IOException {
    Path sweep = dir.resolve("sweep.conf");
    Files.writeString(sweep, "workload { type = bsp, bsp { iterations = 2, quantum = \"fixed(100us)\" } }\n"
        + "sweep { machine.nodes = [1, 4], os.model = [linux, mckernel] }\n");
    make("showcase", "run", "--set", "workload.showcase.bsp-nodes=[1, 4]", "--set", "workload.fwq.iterations=100",
        "--set", "workload.syscalls.calls=5", "--set", "workload.bsp.iterations=2",
        "--set", "workload.bsp.quantum=\"fixed(100us)\"", "--seed", "5");
    make("syscalls", "run", "../examples/syscalls.conf", "--set", "workload.syscalls.calls=5");
    make("fwq", "run", "../examples/fwq.conf", "--set", "workload.fwq.iterations=200");
    make("ftq", "run", "../examples/fwq.conf", "--set", "workload.type=ftq", "--set", "workload.ftq.quanta=200");
    make("programs", "run", "../examples/programs.conf");
    make("bsp", "run", "--set", "workload.type=bsp", "--set", "machine.nodes=2", "--set", "workload.bsp.iterations=3",
        "--set", "workload.bsp.quantum=\"fixed(100us)\"");
    make("sweep", "run", sweep.toString());
    make("phold", "run", "../examples/phold.conf", "--set", "run.end-time=20us", "--set", "phold.entities=200");
    make("chaos_campaign", "chaos", "../examples/chaos.conf", "--seeds", "1..3", "--threads", "1");
    make("chaos_replay", "chaos", "../examples/chaos.conf", "--replay", "2");
    make("trace", "trace", "src/test/resources/strace/offload-only.txt");
    make("compare_os", "compare-os", "--nodes", "1,2");
    // the benchmarks at tiny sizes: their figures mean nothing here, their reports are what is checked
    make("bench_phold", "bench", "phold", "--entities", "200", "--end-time", "5us", "--threads", "2", "--compare");
    make("bench_bsp", "bench", "bsp", "--nodes", "2", "--iterations", "2", "--threads", "2", "--compare");
    make("bench_ikc", "bench", "ikc", "--packets", "100", "--flood", "100", "--threads", "1");
    make("bench_chaos", "bench", "chaos", "../examples/chaos-bench.conf", "--seeds", "1..2", "--threads", "1");
    make("bench_fuzz", "bench", "fuzz", "--examples-dir", "../examples", "--example", "syscalls", "--mutants", "3");
  }

  @Test
  void theCheckedInSchemasAreTheGeneratedOnes() throws IOException {
    Path docs = Path.of("..", "docs", "schemas");
    List<String> expected = new ArrayList<>();
    for (ReportKind k : ReportKinds.ALL) {
      expected.add(ReportSchemas.fileName(k));
      assertThat(docs.resolve(ReportSchemas.fileName(k))).as("regenerate: java -cp 'cli/target/classes:cli/target/lib/*' "
          + "io.mcksim.cli.ReportSchemas docs/schemas").hasContent(ReportSchemas.schema(k));
    }
    try (Stream<Path> files = Files.list(docs)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void everyKindIsMadeAndEveryReportIsValidAgainstItsSchema() throws IOException {
    assertThat(reports.keySet()).containsExactlyInAnyOrderElementsOf(ReportKinds.ALL.stream().map(ReportKind::name)
        .toList());
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    for (ReportKind k : ReportKinds.ALL) {
      Schema schema = registry.getSchema(Files.readString(Path.of("..", "docs", "schemas",
          ReportSchemas.fileName(k))));
      JsonNode report = mapper.readTree(reports.get(k.name()).resolve("report.json").toFile());
      assertThat(schema.validate(report)).as(k.name()).isEmpty();
      assertThat(report.get("kind").asText()).isEqualTo(k.name());
      // a report of another kind is not valid against this schema
      assertThat(schema.validate(mapper.readTree(reports.get(k == ReportKinds.FWQ ? "ftq" : "fwq")
          .resolve("report.json").toFile()))).as(k.name()).isNotEmpty();
    }
  }

  /** Every CSV holds the rows report.json counts, with the columns the kind declares; JSON rows match it. */
  @Test
  void everyCsvIsTheTableReportJsonDescribes() throws IOException {
    for (ReportKind k : ReportKinds.ALL) {
      JsonNode tables = mapper.readTree(reports.get(k.name()).resolve("report.json").toFile()).get("tables");
      for (ReportKind.TableSpec t : k.tables()) {
        JsonNode j = tables.get(t.name());
        try (Reader in = Files.newBufferedReader(reports.get(k.name()).resolve(t.file()), StandardCharsets.UTF_8);
             CSVParser csv = CSVParser.builder().setReader(in).setFormat(Csv.FORMAT.builder().setHeader()
                 .setSkipHeaderRecord(true).get()).get()) {
          assertThat(csv.getHeaderNames()).as(k.name() + " " + t.file()).containsExactly(t.head());
          List<CSVRecord> rows = csv.getRecords();
          assertThat(rows).as(k.name() + " " + t.file()).hasSize(j.get("row_count").asInt());
          if (t.inJson()) {
            Iterator<JsonNode> it = j.get("rows").elements();
            for (int i = 0; i < j.get("rows_in_json").asInt(); i++) {
              JsonNode row = it.next();
              for (String col : t.head()) {
                JsonNode v = row.get(col);
                String cell = rows.get(i).get(col);
                if (v.isNull()) {
                  assertThat(cell).as(k.name() + " " + t.name() + " " + col).isEmpty();
                } else if (v.isNumber()) {
                  assertThat(Double.parseDouble(cell)).as(k.name() + " " + t.name() + " " + col)
                      .isEqualTo(v.asDouble());
                } else {
                  assertThat(cell).as(k.name() + " " + t.name() + " " + col).isEqualTo(v.asText());
                }
              }
            }
          }
        }
      }
    }
  }

  /** The chromium of Debian's package (.ci/run installs it), or null. */
  static Path chromium() {
    for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }

  private static String browse(Path chromium, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu", "--no-sandbox",
        "--hide-scrollbars", "--mute-audio", "--no-first-run", "--disable-extensions",
        "--virtual-time-budget=2000", "--enable-logging=stderr", "--v=0",
        "--user-data-dir=" + dir.resolve("chromium-profile")));
    cmd.addAll(args);
    Path log = Files.createTempFile(dir, "chromium", ".log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium ended").isTrue();
    // the page's console, as Chromium logs it: an uncaught exception is an error of the page
    assertThat(Files.readString(log)).as("console of " + args).doesNotContain("Uncaught");
    return out;
  }

  /**
   * Every report.html in headless Chromium: the page's script marks how many charts it drew and any
   * error; every chart is drawn (an SVG in each chart's box), and a screenshot is kept.
   */
  @Test
  void everyPageDrawsEveryChartInAHeadlessBrowserWithoutAScriptError() throws Exception {
    Path chromium = chromium();
    assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium; .ci/run installs it): "
        + "the pages were not opened in a browser");
    Path shots = Path.of("target", "report-screenshots");
    Files.createDirectories(shots);
    Pattern drawn = Pattern.compile("data-charts-drawn=\"(\\d+)\"");
    for (ReportKind k : ReportKinds.ALL) {
      Path page = reports.get(k.name()).resolve("report.html").toAbsolutePath();
      String html = Files.readString(page);
      assertThat(html).as(k.name()).doesNotContainPattern("<script[^>]+src=").doesNotContain("<link ");
      int charts = (int) Pattern.compile("<div class=\"chart\" id=").matcher(html).results().count();
      // one launch: the screenshot, and the page's DOM once its scripts ran
      String dom = browse(chromium, List.of("--screenshot=" + shots.toAbsolutePath().resolve(k.name() + ".png"),
          "--window-size=1000,2600", "--dump-dom", page.toUri().toString()));
      Matcher m = drawn.matcher(dom);
      assertThat(m.find()).as(k.name() + ": the charts' script ran to its end").isTrue();
      assertThat(Integer.parseInt(m.group(1))).as(k.name() + ": charts drawn").isEqualTo(charts);
      assertThat(dom).as(k.name() + ": a script error").doesNotContainPattern("<html[^>]*data-script-errors=");
      assertThat(Pattern.compile("data-drawn=\"true\"><svg").matcher(dom).results().count()).as(k.name())
          .isEqualTo(charts);
      assertThat(shots.resolve(k.name() + ".png")).isNotEmptyFile();
    }
  }
}
