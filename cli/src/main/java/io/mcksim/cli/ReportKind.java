package io.mcksim.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What one kind of report holds, declared once: its summary fields and its tables with their typed
 * columns. {@link Report} fills a report of a kind and refuses anything the kind does not declare;
 * {@link ReportSchemas} generates the kind's JSON Schema (docs/schemas/) from the same declaration, so
 * the schema cannot drift from what is written. Names are snake_case with their unit ({@code _ns},
 * {@code _bytes}, {@code _s}).
 *
 * @param name    the kind, as {@code report.json}'s {@code kind} names it (and the schema's file name)
 * @param title   the heading of the report's page
 * @param about   one sentence: which command writes it
 * @param summary the kind's single values
 * @param tables  the kind's tables, each one CSV file
 */
record ReportKind(String name, String title, String about, List<Field> summary, List<TableSpec> tables) {

  /** The JSON type of a value. */
  enum Type {
    INTEGER("integer"), NUMBER("number"), STRING("string"), BOOLEAN("boolean");

    final String json;

    Type(String json) {
      this.json = json;
    }
  }

  /**
   * A summary field or a column.
   *
   * @param nullable whether it may be {@code null} (JSON) or an empty cell (CSV): a value that does not apply
   */
  record Field(String name, Type type, boolean nullable, String doc) {
    Field {
      if (!name.matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException("not snake_case: " + name);
      }
    }

    /** The same field, which may be missing. */
    Field orNull() {
      return new Field(name, type, true, doc);
    }
  }

  /**
   * A table: one CSV file, and the rows in {@code report.json} too unless {@code inJson} is false (a
   * bulk table, such as every sample: {@code report.json} then says how many rows the CSV has).
   */
  record TableSpec(String name, String file, String doc, List<Field> columns, boolean inJson) {
    TableSpec {
      if (!name.matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException("not snake_case: " + name);
      }
    }

    String[] head() {
      return columns.stream().map(Field::name).toArray(String[]::new);
    }

    /** The same table, kept in the CSV only. */
    TableSpec csvOnly() {
      return new TableSpec(name, file, doc, columns, false);
    }
  }

  Optional<TableSpec> table(String table) {
    return tables.stream().filter(t -> t.name().equals(table)).findFirst();
  }

  Optional<Field> field(String field) {
    return summary.stream().filter(f -> f.name().equals(field)).findFirst();
  }

  static Field integer(String name, String doc) {
    return new Field(name, Type.INTEGER, false, doc);
  }

  static Field number(String name, String doc) {
    return new Field(name, Type.NUMBER, false, doc);
  }

  static Field string(String name, String doc) {
    return new Field(name, Type.STRING, false, doc);
  }

  static Field bool(String name, String doc) {
    return new Field(name, Type.BOOLEAN, false, doc);
  }

  static TableSpec table(String name, String doc, Field... columns) {
    return new TableSpec(name, name.replace('_', '-') + ".csv", doc, List.of(columns), true);
  }

  static List<Field> fields(Field... fields) {
    return List.of(fields);
  }

  /** {@code a} then {@code b}. */
  static List<Field> concat(List<Field> a, List<Field> b) {
    List<Field> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  static Field[] array(List<Field> fields) {
    return fields.toArray(Field[]::new);
  }

  /** A camelCase name in snake_case: {@code ikcEnqueue} is {@code ikc_enqueue}. */
  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT).replace('-', '_');
  }

  @Override
  public String toString() {
    return name + " " + Arrays.toString(tables.stream().map(TableSpec::name).toArray());
  }
}
