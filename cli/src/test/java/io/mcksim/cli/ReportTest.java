package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The showcase's report folder: its schema, its charts, its tables, its atomicity, and the docs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportTest {

  /** A small showcase: every part runs, on a smaller scale. */
  static final String[] SMALL = {"--set", "workload.showcase.bsp-nodes=[1, 4, 16]",
      "--set", "workload.fwq.iterations=300", "--set", "workload.syscalls.calls=20",
      "--set", "workload.bsp.iterations=2", "--set", "workload.bsp.quantum=\"fixed(100us)\"", "--seed", "5"};

  @TempDir
  static Path dir;
  Path report;
  Config json;

  /** Runs the command line, capturing what it prints. */
  static CliRun run(List<String> args) {
    return CliRun.of(args.toArray(String[]::new));
  }

  static List<String> args(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("run", "--out", out.toString()));
    a.addAll(List.of(SMALL));
    a.addAll(List.of(more));
    return a;
  }

  static Config parse(String text) {
    return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
  }

  @BeforeAll
  void runTheShowcaseOnce() throws IOException {
    report = dir.resolve("report");
    CliRun o = run(args(report, "--threads", "2"));
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("Boot: McKernel on 64 of 68 CPUs was RUNNING", "OS noise (FWQ",
        "System calls", "McKernel speedup", "report: " + report, "seed 5, event-log digest ");
    json = parse(Files.readString(report.resolve("report.json")));
  }

  /** Every field of report.json's meta, every kind and every schema file are in docs/report-schema.md. */
  @Test
  void theReportSchemaDocNamesEveryMetaFieldEveryKindAndItsSchema() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "report-schema.md"));
    for (ReportKind.Field f : ReportSchemas.META) {
      assertThat(doc).as(f.name()).contains("`meta." + f.name() + "`");
    }
    for (ReportKind k : ReportKinds.ALL) {
      assertThat(doc).as(k.name()).contains("`" + k.name() + "`", "docs/schemas/" + ReportSchemas.fileName(k));
    }
    assertThat(json.getString("schema")).isEqualTo("mcksim-report");
    assertThat(json.getInt("version")).isEqualTo(2);
    assertThat(json.getString("kind")).isEqualTo("showcase");
    assertThat(json.getLong("meta.seed")).isEqualTo(5);
    assertThat(json.getLong("meta.config.run.seed")).as("the full configuration").isEqualTo(5);
  }

  @Test
  void theHtmlIsSelfContainedAndDrawsEveryChart() throws IOException {
    String html = Files.readString(report.resolve("report.html"));
    for (String chart : List.of("chart-os-states", "chart-fwq-iterations", "chart-fwq-noise", "chart-syscall-stages",
        "chart-bsp-runtime", "chart-bsp-speedup")) {
      assertThat(html).as(chart).contains("<div class=\"chart\" id=\"" + chart + "\"></div>")
          .contains("{\"id\": \"" + chart + "\"");
    }
    assertThat(html).contains(ReportPage.resource("report-charts.js").substring(0, 200));
    assertThat(html).doesNotContainPattern("<script[^>]+src=").doesNotContain("<link")
        .doesNotContain("@import").doesNotContainPattern("url\\(\\s*['\"]?https?:");
    assertThat(html).contains(json.getString("meta.event_log_digest"), json.getString("meta.config_digest"));
    // the page's run line tells the command's wall time from the engine runs', whose rate it gives
    assertThat(html).containsPattern("the whole command \\d+\\.\\d\\d s of wall time; [\\d,]+ events in \\d+ "
        + "engine runs \\(\\d+\\.\\d\\d s of wall time, [\\d,]+ events per second\\)");
  }

  @Test
  void theCsvFilesSayWhatTheJsonSays() throws IOException {
    List<String> runs = Files.readAllLines(report.resolve("bsp-runs.csv"));
    List<? extends Config> jr = json.getConfigList("tables.bsp_runs.rows");
    assertThat(runs).hasSize(1 + jr.size()).hasSize(1 + 2 * 3);
    for (int i = 0; i < jr.size(); i++) {
      String[] c = runs.get(i + 1).split(",");
      assertThat(Integer.parseInt(c[0])).isEqualTo(jr.get(i).getInt("nodes"));
      assertThat(c[1]).isEqualTo(jr.get(i).getString("os"));
      assertThat(Long.parseLong(c[3])).isEqualTo(jr.get(i).getLong("runtime_ns"));
      assertThat(Long.parseLong(c[4])).isEqualTo(jr.get(i).getLong("ideal_ns"));
      assertThat(c[7]).isEqualTo(jr.get(i).getString("digest"));
    }
    List<? extends Config> js = json.getConfigList("tables.bsp_speedup.rows");
    assertThat(js).hasSize(3);
    for (Config r : js) {
      assertThat(r.getDouble("speedup")).isCloseTo((double) r.getLong("linux_ns") / r.getLong("mckernel_ns"),
          org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(json.getInt("tables.fwq_summary.row_count")).isEqualTo(68);
    List<String> states = Files.readAllLines(report.resolve("os-states.csv"));
    List<? extends Config> jt = json.getConfigList("tables.os_states.rows");
    assertThat(states).hasSize(1 + jt.size());
    for (int i = 0; i < jt.size(); i++) {
      assertThat(states.get(i + 1)).isEqualTo(jt.get(i).getLong("time_ns") + "," + jt.get(i).getInt("os") + ","
          + jt.get(i).getString("state"));
    }
    assertThat(Files.readAllLines(report.resolve("fwq-samples.csv"))).hasSize(1 + 68 * 300);
    assertThat(json.getLong("tables.fwq_samples.row_count")).isEqualTo(68 * 300);
    assertThat(json.hasPath("tables.fwq_samples.rows")).as("a bulk table is in its CSV only").isFalse();
  }

  @Test
  void theSameSeedGivesTheSameDigestOnOtherThreadCountsAndJsonPrintsTheReport() throws IOException {
    CliRun o = run(args(dir.resolve("again"), "--threads", "1", "--json"));
    assertThat(o.code()).as(o.err()).isZero();
    Config printed = parse(o.out());
    assertThat(printed.getString("meta.event_log_digest")).as("seed 5")
        .isEqualTo(json.getString("meta.event_log_digest"));
    assertThat(printed.getString("meta.config_digest")).isNotEqualTo(json.getString("meta.config_digest"))
        .as("run.threads differs, and is part of the configuration");
    assertThat(parse(Files.readString(dir.resolve("again").resolve("report.json"))).root().render())
        .isEqualTo(printed.root().render());
  }

  @Test
  void quietPrintsNothingAndStillWritesTheReport() {
    CliRun o = run(args(dir.resolve("quiet"), "--quiet", "--set", "workload.showcase.bsp-nodes=[1]"));
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).isEmpty();
    assertThat(dir.resolve("quiet").resolve("report.html")).exists();
  }

  @Test
  void aFailedRunLeavesTheEarlierReportAsItWasAndSaysWhatFailed() throws IOException {
    byte[] before = Files.readAllBytes(report.resolve("report.json"));
    CliRun bad = run(args(report, "--set", "workload.bsp.threads-per-rank=65"));
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("workload.bsp", "65 threads need more than the 64 CPUs");
    CliRun broken = run(args(report, "--set", "workload.syscalls.names=[getpid, no_such_call]"));
    assertThat(broken.code()).isEqualTo(2);
    assertThat(broken.err()).contains("no_such_call");
    assertThat(Files.readAllBytes(report.resolve("report.json"))).isEqualTo(before);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".report."));
    }
  }

  @Test
  void theConfigurationReferenceInDocsMatchesTheReferenceConfFiles() throws IOException {
    assertThat(Files.readString(Path.of("..", "docs", "configuration.md")))
        .as("docs/configuration.md is stale: regenerate it with bin/mcksim config --reference > docs/configuration.md")
        .isEqualTo(ConfigReference.render());
  }

  @Test
  void everyExampleSaysWhatItIsAtItsTopAndLoads() throws IOException {
    try (var files = Files.list(Path.of("..", "examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".conf")).toList()) {
        assertThat(Files.readAllLines(f).get(0)).as(f.toString()).startsWith("# ");
        assertThat(Files.readString(f)).as(f.toString())
            .containsPattern("bin/mcksim (run|chaos) examples/" + java.util.regex.Pattern.quote(f.getFileName().toString()));
        CliRun o = run(List.of("config", f.toString()));
        assertThat(o.code()).as(f + ": " + o.err()).isZero();
      }
    }
  }
}
