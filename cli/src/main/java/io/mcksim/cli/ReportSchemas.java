package io.mcksim.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the JSON Schema (draft 2020-12) of every report kind from its declaration in
 * {@link ReportKinds}: {@code docs/schemas/KIND.schema.json}. A test fails when the files checked in differ
 * from what this generates; {@code main} writes them: {@code java -cp ... io.mcksim.cli.ReportSchemas docs/schemas}.
 */
final class ReportSchemas {

  /** What reproduces the run, the same in every kind (report.json's {@code meta}). */
  static final List<ReportKind.Field> META = ReportKind.fields(
      ReportKind.string("mcksim_version", "the mcksim version that ran it (the pom's, e.g. 0.1.0-SNAPSHOT)"),
      ReportKind.string("mcksim_commit", "the commit it was built from, abbreviated, +modified when the work tree "
          + "had uncommitted changes, unknown outside a git clone"),
      ReportKind.string("java_version", "the Java version it ran on"),
      ReportKind.integer("seed", "the run seed (run.seed, --seed)"),
      ReportKind.string("config_digest", "SHA-256 of the effective configuration, one key = value line per key "
          + "in key order"),
      ReportKind.string("engine", "the engine of the runs: sequential, actors or cluster (sequential+actors: a "
          + "benchmark of both engines)"),
      ReportKind.integer("threads", "threads of the engine"),
      ReportKind.number("wall_s", "wall time of the whole command, in seconds"),
      ReportKind.integer("events", "events processed by all engine runs"),
      ReportKind.number("events_per_s", "events over the engine runs' wall time (0 when not measured)"),
      ReportKind.string("event_log_digest", "the one engine run's event-log digest, or SHA-256 over the runs' "
          + "digests in the order they ran (one per line); the same for the same configuration, seed and build "
          + "on any engine and thread count"));

  private ReportSchemas() {}

  static String fileName(ReportKind k) {
    return k.name().replace('_', '-') + ".schema.json";
  }

  /** The schema of one kind, as the file holds it. */
  static String schema(ReportKind k) {
    Json meta = object(META, "what reproduces the run");
    Json metaProps = (Json) meta.get("properties");
    metaProps.put("config", new Json().put("type", "object")
        .put("description", "the full effective configuration, every key (HOCON rendered as JSON)"));
    metaProps.put("runs", new Json().put("type", "array").put("description", "every engine run, in order")
        .put("items", object(ReportKind.fields(ReportKind.string("name", "what ran"),
            ReportKind.integer("events", "its events"), ReportKind.string("digest", "its event-log digest")),
            "one engine run")));
    meta.put("required", required(META, "config", "runs"));
    Json tables = new Json();
    List<String> names = new ArrayList<>();
    for (ReportKind.TableSpec t : k.tables()) {
      names.add(t.name());
      Json props = new Json()
          .put("file", new Json().put("const", t.file()).put("description", "the CSV file with every row"))
          .put("row_count", new Json().put("type", "integer").put("minimum", 0).put("description", "rows in the CSV"))
          .put("rows_in_json", new Json().put("type", "integer").put("minimum", 0)
              .put("description", "rows below (at most " + Report.JSON_ROWS + "; the CSV has all)"));
      List<String> req = new ArrayList<>(List.of("file", "row_count", "rows_in_json"));
      if (t.inJson()) {
        props.put("rows", new Json().put("type", "array").put("items", object(t.columns(), "one row")));
        req.add("rows");
      }
      tables.put(t.name(), new Json().put("type", "object").put("description", t.doc() + (t.inJson() ? ""
          : " (in the CSV only)")).put("properties", props).put("required", req).put("additionalProperties", false));
    }
    Json root = new Json()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("$id", "urn:mcksim:report:" + k.name() + ":" + Report.VERSION)
        .put("title", k.title())
        .put("description", "report.json of " + k.about() + " (docs/report-schema.md)")
        .put("type", "object")
        .put("properties", new Json()
            .put("schema", new Json().put("const", Report.SCHEMA))
            .put("version", new Json().put("const", Report.VERSION))
            .put("kind", new Json().put("const", k.name()))
            .put("meta", meta)
            .put("summary", object(k.summary(), "the kind's single values"))
            .put("tables", new Json().put("type", "object").put("description", "one entry per table (CSV file)")
                .put("properties", tables).put("required", names).put("additionalProperties", false)))
        .put("required", List.of("schema", "version", "kind", "meta", "summary", "tables"))
        .put("additionalProperties", false);
    return root.pretty() + "\n";
  }

  private static Json object(List<ReportKind.Field> fields, String doc) {
    Json props = new Json();
    for (ReportKind.Field f : fields) {
      props.put(f.name(), new Json().put("type", f.nullable() ? List.of(f.type().json, "null") : f.type().json)
          .put("description", f.doc()));
    }
    return new Json().put("type", "object").put("description", doc).put("properties", props)
        .put("required", required(fields)).put("additionalProperties", false);
  }

  private static List<String> required(List<ReportKind.Field> fields, String... more) {
    List<String> r = new ArrayList<>(fields.stream().map(ReportKind.Field::name).toList());
    r.addAll(List.of(more));
    return r;
  }

  /** Writes every kind's schema into {@code args[0]} (docs/schemas). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "docs/schemas");
    Files.createDirectories(dir);
    for (ReportKind k : ReportKinds.ALL) {
      Files.writeString(dir.resolve(fileName(k)), schema(k), StandardCharsets.UTF_8);
    }
  }
}
