package io.mcksim.cli;

import com.typesafe.config.ConfigRenderOptions;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.config.Scenario;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one report contract of every command that has results: a folder with {@code report.json}
 * (schema {@value #SCHEMA} version {@value #VERSION}: the kind, what reproduces the run, the kind's
 * summary and its tables), one CSV per table, and a self-contained {@code report.html} with the
 * charts. A command fills a report of its {@link ReportKind} (anything the kind does not declare is
 * refused) and {@link #write}s it into the {@link OutputFolder} it claimed before it ran, whole or not
 * at all.
 */
final class Report {

  static final String SCHEMA = "mcksim-report";
  static final int VERSION = 2;
  /** Rows of a table that {@code report.json} holds at most; the CSV has them all. */
  static final int JSON_ROWS = 10_000;

  private final ReportKind kind;
  private final Scenario scenario;
  /** The command's start: the report's wall time is the whole command's, the run included. */
  private final long started = Mcksim.commandStarted();
  private final Map<String, Object> summary = new LinkedHashMap<>();
  private final Map<String, Rows> tables = new LinkedHashMap<>();
  private final List<ReportChart> charts = new ArrayList<>();
  private final List<Json> runs = new ArrayList<>();
  private final List<String> digests = new ArrayList<>();
  private final List<String> lead = new ArrayList<>();
  private String engine;
  private long seed;
  private int threads;
  private long events;
  private double engineWall;
  private Json json;
  private double wall;

  /** A report of {@code kind} about a run of {@code scenario} (its seed and configuration are kept). */
  Report(ReportKind kind, Scenario scenario) {
    this.kind = kind;
    this.scenario = scenario;
    this.engine = scenario.run().engine();
    this.seed = scenario.run().seed();
    this.threads = PholdRun.threads(scenario, engine);
    for (ReportKind.TableSpec t : kind.tables()) {
      tables.put(t.name(), new Rows(t));
    }
  }

  ReportKind kind() {
    return kind;
  }

  Scenario scenario() {
    return scenario;
  }

  /** The engine and threads the runs used, when not the scenario's. */
  Report engine(String name, int threadCount) {
    engine = name;
    threads = threadCount;
    return this;
  }

  /** The seed, when not the scenario's (a chaos replay's, a campaign's first). */
  Report seed(long s) {
    seed = s;
    return this;
  }

  long seed() {
    return seed;
  }

  /** One engine run of the report: its events and event-log digest. */
  Report run(String name, RunResult r) {
    engineWall += r.wallSeconds();
    return run(name, r.events(), r.digest());
  }

  /** One run known by its events, digest and wall time (many engine runs measured together). */
  Report run(String name, long runEvents, String digest, double wallSeconds) {
    engineWall += wallSeconds;
    return run(name, runEvents, digest);
  }

  /** One run known by its events and digest only. */
  Report run(String name, long runEvents, String digest) {
    events += runEvents;
    digests.add(digest);
    runs.add(new Json().put("name", name).put("events", runEvents).put("digest", digest));
    return this;
  }

  /** A sentence the page opens with. */
  Report lead(String text) {
    lead.add(text);
    return this;
  }

  List<String> lead() {
    return lead;
  }

  /** A summary value the kind declares. */
  Report put(String field, Object value) {
    ReportKind.Field f = kind.field(field).orElseThrow(() -> new IllegalArgumentException(
        "report kind " + kind.name() + " has no summary field " + field));
    summary.put(field, cell(f, value)[1]);
    return this;
  }

  /** Appends a row to a table the kind declares, one cell per column in order. */
  Report row(String table, Object... cells) {
    Rows t = tables.get(table);
    if (t == null) {
      throw new IllegalArgumentException("report kind " + kind.name() + " has no table " + table);
    }
    t.add(cells);
    return this;
  }

  /**
   * Fills table {@code table}, which the kind keeps in its CSV only, with {@code count} rows that
   * {@code rows} makes when the report is written: straight into the CSV as it goes to disk (and once
   * for the first rows the page shows), never held as text or objects. Nothing else goes into the table.
   */
  Report rows(String table, long count, BulkRows rows) {
    Rows t = tables.get(table);
    if (t == null) {
      throw new IllegalArgumentException("report kind " + kind.name() + " has no table " + table);
    }
    t.bulk(count, rows);
    return this;
  }

  /** Rows of a table so far. */
  long rows(String table) {
    return tables.get(table).count;
  }

  Report chart(ReportChart c) {
    charts.add(c);
    return this;
  }

  List<ReportChart> charts() {
    return charts;
  }

  /** The tables, in the kind's order. */
  List<Rows> tables() {
    return List.copyOf(tables.values());
  }

  /** Summary values by field, rendered as JSON values. */
  Map<String, Object> summary() {
    return summary;
  }

  /** report.json; made once, so the wall time is the time until it was first asked for. */
  Json json() {
    if (json != null) {
      return json;
    }
    wall = (System.nanoTime() - started) / 1e9;
    Json meta = new Json()
        .put("mcksim_version", BuildInfo.version())
        .put("mcksim_commit", BuildInfo.commit())
        .put("java_version", System.getProperty("java.version"))
        .put("seed", seed)
        .put("config_digest", ShowcaseReport.configDigest(scenario))
        .put("config", new SyscallsRun.RawJson(scenario.config().root().render(ConfigRenderOptions.concise())))
        .put("engine", engine)
        .put("threads", threads)
        .put("wall_s", wall)
        .put("events", events)
        .put("events_per_s", engineWall > 0 ? events / engineWall : 0.0)
        .put("event_log_digest", eventLogDigest())
        .put("runs", runs);
    Json s = new Json();
    summary.forEach((k, v) -> s.put(k, new SyscallsRun.RawJson((String) v)));
    Json t = new Json();
    tables.values().forEach(r -> t.put(r.spec.name(), r.json()));
    json = new Json().put("schema", SCHEMA).put("version", VERSION).put("kind", kind.name()).put("meta", meta)
        .put("summary", s).put("tables", t);
    return json;
  }

  /** Engine, threads, wall time, events and events per second, for the page. */
  String runLine() {
    json();
    String counted = events == 0 && !runs.isEmpty() ? String.format(java.util.Locale.ROOT, "%d engine run%s, "
        + "whose events this command does not count", runs.size(), runs.size() == 1 ? "" : "s")
        : String.format(java.util.Locale.ROOT, "%,d events in %d engine run%s (%s)", events, runs.size(),
        runs.size() == 1 ? "" : "s", engineWall > 0 ? String.format(java.util.Locale.ROOT, "%.2f s of wall time, "
        + "%,.0f events per second", engineWall, events / engineWall) : "events per second not measured");
    return String.format(java.util.Locale.ROOT, "%s engine, %d thread%s; the whole command %.2f s of wall time; %s",
        engine, threads, threads == 1 ? "" : "s", wall, counted);
  }

  /** Every engine run: name, events, digest. */
  List<Json> runs() {
    return runs;
  }

  /** SHA-256 over the runs' digests in the order they ran (the digest itself for one run). */
  String eventLogDigest() {
    if (digests.size() == 1) {
      return digests.get(0);
    }
    StringBuilder sb = new StringBuilder();
    digests.forEach(d -> sb.append(d).append('\n'));
    return ShowcaseReport.sha256(sb.toString());
  }

  /** Writes report.json, the CSVs and report.html into the folder and commits it. */
  Path write(OutputFolder folder) throws IOException {
    folder.add("report.json", json() + "\n");
    tables.values().forEach(r -> {
      if (r.bulk == null) {
        folder.add(r.spec.file(), r.csv.text());
      } else {
        folder.add(r.spec.file(), r::writeBulk);
      }
    });
    folder.add("report.html", ReportPage.render(this));
    return folder.commit();
  }

  /** The files of the folder, report.json first. */
  List<String> files() {
    List<String> f = new ArrayList<>(List.of("report.json", "report.html"));
    tables.values().forEach(r -> f.add(r.spec.file()));
    return f;
  }

  /** A cell as its CSV text and its JSON value, checked against the field's type. */
  static String[] cell(ReportKind.Field f, Object v) {
    if (v == null || (v instanceof String str && str.isEmpty() && f.type() != ReportKind.Type.STRING)) {
      if (!f.nullable()) {
        throw new IllegalArgumentException(f.name() + " may not be empty");
      }
      return new String[] {"", "null"};
    }
    return switch (f.type()) {
      case INTEGER -> {
        long n = v instanceof Number x ? x.longValue() : Long.parseLong(v.toString().trim());
        if (v instanceof Double || v instanceof Float) {
          throw new IllegalArgumentException(f.name() + " is an integer, not " + v);
        }
        String text = Long.toString(n);
        yield new String[] {text, text};
      }
      case NUMBER -> {
        double d = v instanceof Number x ? x.doubleValue() : Double.parseDouble(v.toString().trim());
        if (!Double.isFinite(d)) {
          if (!f.nullable()) {
            throw new IllegalArgumentException(f.name() + " is not a finite number: " + v);
          }
          yield new String[] {"", "null"};
        }
        String text = Json.value(d);
        yield new String[] {text, text};
      }
      case BOOLEAN -> {
        boolean b = v instanceof Boolean x ? x : Boolean.parseBoolean(v.toString());
        yield new String[] {Boolean.toString(b), Boolean.toString(b)};
      }
      case STRING -> new String[] {v.toString(), Json.quote(v.toString())};
    };
  }

  /**
   * The rows of a bulk table ({@link #rows(String, long, BulkRows)}), made each time they are needed, the
   * same each time.
   */
  @FunctionalInterface
  interface BulkRows {
    /** Writes every row in order into {@code out}, or fewer: stops as soon as {@code out} is {@link RowSink#full}. */
    void write(RowSink out) throws IOException;
  }

  /**
   * Where a bulk table's rows go, cell by cell, each checked against its column: into the CSV as it is
   * written (quoted as {@link Csv} quotes), or into the page's first rows as text.
   */
  static final class RowSink {
    private final ReportKind.TableSpec spec;
    /** The CSV being written, or null when the rows are kept as text. */
    private final CsvOut csv;
    private final List<String[]> kept;
    private final long limit;
    private String[] row;
    private int column;
    private long rows;

    private RowSink(ReportKind.TableSpec spec, CsvOut csv, List<String[]> kept, long limit) {
      this.spec = spec;
      this.csv = csv;
      this.kept = kept;
      this.limit = limit;
    }

    /** Whether it takes no more rows. */
    boolean full() {
      return rows >= limit;
    }

    /** The next cell, of a text column. */
    RowSink text(String value) throws IOException {
      check(ReportKind.Type.STRING);
      if (csv == null) {
        row()[column] = value;
      } else {
        csv.text(value);
      }
      column++;
      return this;
    }

    /** The next cell, of an integer column. */
    RowSink integer(long value) throws IOException {
      check(ReportKind.Type.INTEGER);
      if (csv == null) {
        row()[column] = Long.toString(value);
      } else {
        csv.integer(value);
      }
      column++;
      return this;
    }

    /** Ends the row, which must have had every column. */
    void end() throws IOException {
      if (column != spec.columns().size()) {
        throw new IllegalArgumentException("table " + spec.name() + " has " + spec.columns().size()
            + " columns, not " + column);
      }
      if (csv == null) {
        kept.add(row);
        row = null;
      } else {
        csv.end();
      }
      column = 0;
      rows++;
    }

    private String[] row() {
      if (row == null) {
        row = new String[spec.columns().size()];
      }
      return row;
    }

    /** Refuses a cell of {@code type} where the table has none. */
    private void check(ReportKind.Type type) {
      List<ReportKind.Field> cols = spec.columns();
      if (column >= cols.size() || cols.get(column).type() != type) {
        throw new IllegalArgumentException("table " + spec.name() + ": " + (column >= cols.size()
            ? "a row has " + cols.size() + " columns" : "column " + cols.get(column).name() + " is of type "
            + cols.get(column).type().json) + ", not a " + type.json + " cell");
      }
    }
  }

  /** One table's rows: the CSV text, and the first {@link #JSON_ROWS} rows as JSON and as text. */
  static final class Rows {
    final ReportKind.TableSpec spec;
    final Csv csv;
    final List<String[]> text = new ArrayList<>();
    final List<String> json = new ArrayList<>();
    long count;
    /** A bulk table's rows, made as its CSV is written; null for rows added one by one. */
    BulkRows bulk;

    Rows(ReportKind.TableSpec spec) {
      this.spec = spec;
      this.csv = new Csv(spec.head());
    }

    void add(Object[] cells) {
      List<ReportKind.Field> cols = spec.columns();
      if (cells.length != cols.size()) {
        throw new IllegalArgumentException("table " + spec.name() + " has " + cols.size() + " columns, not "
            + cells.length);
      }
      String[] t = new String[cells.length];
      // the JSON text only for a row report.json keeps (a bulk table's millions of rows have none)
      StringBuilder j = spec.inJson() && json.size() < JSON_ROWS ? new StringBuilder("{") : null;
      for (int i = 0; i < cells.length; i++) {
        String[] c = cell(cols.get(i), cells[i]);
        t[i] = c[0];
        if (j != null) {
          j.append(i == 0 ? "" : ", ").append(Json.quote(cols.get(i).name())).append(": ").append(c[1]);
        }
      }
      csv.row((Object[]) t);
      count++;
      if (j != null) {
        json.add(j.append('}').toString());
      }
      if (text.size() < ReportPage.SHOWN_ROWS) {
        text.add(t);
      }
    }

    /** The table's rows are {@code rows}, {@code count} of them; the page's first ones are kept now. */
    void bulk(long count, BulkRows rows) {
      if (spec.inJson() || this.count > 0 || bulk != null) {
        throw new IllegalArgumentException("table " + spec.name() + (spec.inJson() ? " keeps its rows in "
            + "report.json" : " has rows already") + "; a bulk table is CSV-only and filled once");
      }
      try {
        rows.write(new RowSink(spec, null, text, ReportPage.SHOWN_ROWS));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.count = count;
      this.bulk = rows;
    }

    /** Writes a bulk table's CSV: its head, then every row as it is made. */
    void writeBulk(OutputStream out) throws IOException {
      CsvOut w = new CsvOut(out).raw(csv.text());
      RowSink sink = new RowSink(spec, w, null, Long.MAX_VALUE);
      bulk.write(sink);
      w.flush();
      if (sink.rows != count) {
        throw new IllegalStateException("table " + spec.name() + ": " + sink.rows + " rows written, " + count
            + " announced");
      }
    }

    Json json() {
      Json j = new Json().put("file", spec.file()).put("row_count", count).put("rows_in_json", json.size());
      if (spec.inJson()) {
        j.put("rows", new SyscallsRun.RawJson("[" + String.join(",\n  ", json) + "]"));
      }
      return j;
    }
  }
}
