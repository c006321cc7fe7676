package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** Rows of the field table in docs/report-schema.md: path and type. */
  static List<String[]> documentedFields() throws IOException {
    Pattern row = Pattern.compile("^\\| `([a-z0-9_.\\[\\]]+)` \\| (string|integer|number|array|object) \\|");
    List<String[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("..", "docs", "report-schema.md"))) {
      Matcher m = row.matcher(line);
      if (m.find()) {
        out.add(new String[] {m.group(1), m.group(2)});
      }
    }
    return out;
  }

  @Test
  void everyDocumentedFieldIsPresentWithItsType() throws IOException {
    List<String[]> fields = documentedFields();
    assertThat(fields).hasSizeGreaterThan(60);
    for (String[] f : fields) {
      List<ConfigValue> values = resolve(json.root(), f[0]);
      assertThat(values).as(f[0]).isNotEmpty();
      for (ConfigValue v : values) {
        assertThat(typeOf(v)).as("%s = %s", f[0], v.render()).isIn(compatible(f[1]));
      }
    }
    assertThat(json.getString("schema")).isEqualTo("mcksim-report");
    assertThat(json.getInt("version")).isEqualTo(1);
    assertThat(json.getLong("meta.seed")).isEqualTo(5);
  }

  @Test
  void everyFieldOfTheReportIsDocumented() throws IOException {
    List<String> documented = documentedFields().stream().map(f -> f[0]).toList();
    List<String> present = new ArrayList<>();
    paths(json.root(), "", present);
    assertThat(documented).containsAll(present);
  }

  private static void paths(ConfigValue v, String at, List<String> out) {
    if (v instanceof ConfigObject o) {
      if (at.endsWith("stages_ns")) {
        return; // keyed by stage name
      }
      o.forEach((k, x) -> {
        String p = at.isEmpty() ? k : at + "." + k;
        out.add(p);
        paths(x, p, out);
      });
    } else if (v instanceof ConfigList l && !l.isEmpty() && l.get(0) instanceof ConfigObject) {
      l.forEach(x -> paths(x, at + "[]", out));
    }
  }

  private static List<String> compatible(String type) {
    return type.equals("number") ? List.of("integer", "number") : List.of(type);
  }

  private static String typeOf(ConfigValue v) {
    return switch (v.valueType()) {
      case STRING -> "string";
      case NUMBER -> v.unwrapped() instanceof Integer || v.unwrapped() instanceof Long ? "integer" : "number";
      case LIST -> "array";
      case OBJECT -> "object";
      case BOOLEAN -> "boolean";
      case NULL -> "null";
    };
  }

  /** The values at {@code path}: every element's, past each {@code []}. */
  private static List<ConfigValue> resolve(ConfigValue root, String path) {
    List<ConfigValue> current = List.of(root);
    for (String part : path.split("\\.")) {
      boolean each = part.endsWith("[]");
      String key = each ? part.substring(0, part.length() - 2) : part;
      List<ConfigValue> next = new ArrayList<>();
      for (ConfigValue c : current) {
        ConfigValue v = ((ConfigObject) c).get(key);
        if (v == null) {
          continue;
        }
        if (each) {
          assertThat(v.valueType()).as(path).isEqualTo(ConfigValueType.LIST);
          assertThat((ConfigList) v).as(path + " is empty").isNotEmpty();
          next.addAll((ConfigList) v);
        } else {
          next.add(v);
        }
      }
      current = next;
    }
    return current;
  }

  @Test
  void theHtmlIsSelfContainedAndDrawsEveryChartWithUplot() throws IOException {
    String html = Files.readString(report.resolve("report.html"));
    for (String chart : ReportHtml.CHARTS) {
      assertThat(html).as(chart).contains("id=\"" + chart + "\"").contains("chart(\"" + chart + "\"");
    }
    assertThat(html).contains(ReportHtml.resource("uPlot.iife.min.js").substring(0, 200))
        .contains("const REPORT = {\"schema\": \"mcksim-report\"");
    assertThat(html).doesNotContainPattern("<script[^>]+src=").doesNotContain("<link")
        .doesNotContain("@import").doesNotContainPattern("url\\(\\s*['\"]?https?:");
    assertThat(html).contains(json.getString("meta.event_log_digest"), json.getString("meta.config_digest"));
  }

  @Test
  void theCsvFilesSayWhatTheJsonSays() throws IOException {
    List<String> runs = Files.readAllLines(report.resolve("bsp-runs.csv"));
    List<? extends Config> jr = json.getConfigList("bsp.runs");
    assertThat(runs).hasSize(1 + jr.size());
    for (int i = 0; i < jr.size(); i++) {
      String[] c = runs.get(i + 1).split(",");
      assertThat(Integer.parseInt(c[0])).isEqualTo(jr.get(i).getInt("nodes"));
      assertThat(c[1]).isEqualTo(jr.get(i).getString("os"));
      assertThat(Long.parseLong(c[2])).isEqualTo(jr.get(i).getLong("runtime_ns"));
      assertThat(Long.parseLong(c[3])).isEqualTo(jr.get(i).getLong("ideal_ns"));
      assertThat(c[6]).isEqualTo(jr.get(i).getString("digest"));
    }
    List<String> speed = Files.readAllLines(report.resolve("bsp-speedup.csv"));
    List<? extends Config> js = json.getConfigList("bsp.speedup");
    assertThat(speed).hasSize(1 + js.size());
    for (int i = 0; i < js.size(); i++) {
      String[] c = speed.get(i + 1).split(",");
      assertThat(Long.parseLong(c[1])).isEqualTo(js.get(i).getLong("linux_ns"));
      assertThat(Long.parseLong(c[2])).isEqualTo(js.get(i).getLong("mckernel_ns"));
      assertThat(Double.parseDouble(c[3])).isCloseTo(js.get(i).getDouble("speedup"),
          org.assertj.core.data.Offset.offset(1e-5));
    }
    List<String> fwq = Files.readAllLines(report.resolve("fwq-summary.csv"));
    List<? extends Config> jf = json.getConfigList("fwq.cores");
    assertThat(fwq).hasSize(1 + jf.size());
    for (int i = 0; i < jf.size(); i++) {
      String[] c = fwq.get(i + 1).split(",");
      assertThat(c[0]).isEqualTo(jf.get(i).getString("kernel"));
      assertThat(Integer.parseInt(c[1])).isEqualTo(jf.get(i).getInt("cpu"));
      assertThat(Double.parseDouble(c[3])).isCloseTo(jf.get(i).getDouble("mean_ns"),
          org.assertj.core.data.Offset.offset(0.05));
      assertThat(Long.parseLong(c[7])).isEqualTo(jf.get(i).getLong("max_ns"));
    }
    List<String> states = Files.readAllLines(report.resolve("os-states.csv"));
    List<? extends Config> jt = json.getConfigList("boot.transitions");
    assertThat(states).hasSize(1 + jt.size());
    for (int i = 0; i < jt.size(); i++) {
      assertThat(states.get(i + 1)).isEqualTo(jt.get(i).getLong("time_ns") + "," + jt.get(i).getInt("os") + ","
          + jt.get(i).getString("state"));
    }
    assertThat(Files.readAllLines(report.resolve("fwq-samples.csv"))).hasSize(1 + 68 * 300);
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
