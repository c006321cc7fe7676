package io.mcksim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html of every report: one self-contained page, readable offline. What reproduces the run
 * (version and commit, seed, digests, the configuration), the summary, the charts (SVG drawn by the
 * page's own script, report-charts.js, inlined with the charts' data; nothing is fetched) and every
 * table, each with its first {@value #SHOWN_ROWS} rows and how many more its CSV holds.
 */
final class ReportPage {

  /** Rows of a table the page shows; the page says how many more the CSV has. */
  static final int SHOWN_ROWS = 25;

  private static final String STYLE = """
      body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
             max-width: 940px; padding: 0 1em; color: #1d232a; }
      h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #d8dee4; }
      .lead { color: #374151; }
      table { border-collapse: collapse; margin: 0.8em 0; font-size: 13px; }
      th, td { padding: 0.2em 0.7em; border-bottom: 1px solid #e5e7eb; text-align: right; vertical-align: top; }
      th { background: #f3f4f6; }
      th:first-child, td:first-child, td.text, th.text { text-align: left; }
      table.meta th { text-align: left; background: none; font-weight: 600; white-space: nowrap; }
      table.meta td { text-align: left; overflow-wrap: anywhere; }
      table.meta td.text { color: #4b5563; overflow-wrap: normal; min-width: 18em; }
      td abbr { text-decoration: none; }
      .chart { margin: 1.2em 0 0.4em; }
      .chart svg { max-width: 100%; height: auto; border: 1px solid #eee; }
      .chart-save { margin: 0.3em 0 1em; }
      .chart-save button { font-size: 12px; }
      .chart-note, .rows { color: #4b5563; font-size: 13px; margin: 0.2em 0; }
      .wide { overflow-x: auto; }
      pre { background: #f6f8fa; padding: 0.8em; overflow-x: auto; font-size: 12px; max-height: 30em; }
      code { font-size: 13px; }
      @media print { .chart-save { display: none; } }
      """;

  private ReportPage() {}

  static String render(Report r) {
    ReportKind k = r.kind();
    StringBuilder h = new StringBuilder();
    h.append("<h1>").append(esc(k.title())).append("</h1>\n");
    for (String p : r.lead()) {
      h.append("<p class=\"lead\">").append(esc(p)).append("</p>\n");
    }
    h.append("<h2>Run</h2>\n").append(meta(r));
    String rounded = "<p class=\"rows\">On this page numbers are rounded to four significant digits and digests "
        + "cut to their first 12 digits (hover one for it whole); report.json and the CSV files hold every value as "
        + "it was measured.</p>\n";
    if (!r.summary().isEmpty()) {
      h.append("<h2>Summary</h2>\n").append(rounded).append("<table class=\"meta\">");
      for (ReportKind.Field f : k.summary()) {
        Object v = r.summary().get(f.name());
        if (v != null) {
          h.append("<tr><th title=\"").append(esc(f.doc())).append("\">").append(esc(f.name())).append("</th><td>")
              .append(esc(shown(f, plain((String) v)))).append("</td><td class=\"text\">").append(esc(f.doc()))
              .append("</td></tr>");
        }
      }
      h.append("</table>\n");
    }
    if (!r.charts().isEmpty()) {
      h.append("<h2>Charts</h2>\n");
      for (ReportChart c : r.charts()) {
        h.append("<div class=\"chart\" id=\"").append(c.id()).append("\"></div>\n");
      }
    }
    if (!r.tables().isEmpty()) {
      h.append("<h2>Tables</h2>\n").append(r.summary().isEmpty() ? rounded : "");
    }
    for (Report.Rows t : r.tables()) {
      h.append("<h3>").append(esc(t.spec.name())).append(" <small>(").append(esc(t.spec.file()))
          .append(")</small></h3>\n<p class=\"rows\">").append(esc(sentence(t.spec.doc()))).append(' ')
          .append(esc(rowsNote(t))).append("</p>\n");
      if (!t.text.isEmpty()) {
        h.append(table(t));
      }
    }
    StringBuilder charts = new StringBuilder("const CHARTS = [");
    for (int i = 0; i < r.charts().size(); i++) {
      charts.append(i == 0 ? "\n" : ",\n").append(r.charts().get(i).json());
    }
    charts.append("];\n");
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>" + esc(k.title()) + "</title>\n<style>\n" + STYLE + "</style>\n</head><body>\n" + h
        + "<script>\n" + charts.toString().replace("</", "<\\/") + resource("report-charts.js")
        + "</script>\n</body></html>\n";
  }

  /** "All 12 rows shown." or "25 of 1,200 rows shown; all in x.csv." */
  static String rowsNote(Report.Rows t) {
    if (t.count == 0) {
      return "No rows.";
    }
    if (t.text.isEmpty()) {
      return String.format(Locale.ROOT, "%,d rows, not shown: all in %s.", t.count, t.spec.file());
    }
    if (t.text.size() == t.count) {
      return String.format(Locale.ROOT, "All %,d row%s shown (also in %s).", t.count, t.count == 1 ? "" : "s",
          t.spec.file());
    }
    return String.format(Locale.ROOT, "The first %,d of %,d rows shown; %,d more, all in %s.", t.text.size(),
        t.count, t.count - t.text.size(), t.spec.file());
  }

  private static String table(Report.Rows t) {
    StringBuilder sb = new StringBuilder("<div class=\"wide\"><table><tr>");
    for (ReportKind.Field f : t.spec.columns()) {
      sb.append(f.type() == ReportKind.Type.STRING ? "<th class=\"text\" title=\"" : "<th title=\"")
          .append(esc(f.doc())).append("\">").append(esc(f.name())).append("</th>");
    }
    sb.append("</tr>\n");
    for (String[] row : t.text) {
      sb.append("<tr>");
      for (int i = 0; i < row.length; i++) {
        ReportKind.Field f = t.spec.columns().get(i);
        boolean text = f.type() == ReportKind.Type.STRING;
        sb.append(text ? "<td class=\"text\">" : "<td>");
        if (DIGEST.matcher(row[i]).matches()) {
          sb.append("<abbr title=\"").append(row[i]).append("\"><code>").append(row[i], 0, 12)
              .append("…</code></abbr>");
        } else {
          sb.append(esc(shown(f, row[i])));
        }
        sb.append("</td>");
      }
      sb.append("</tr>\n");
    }
    return sb.append("</table></div>\n").toString();
  }

  private static String meta(Report r) {
    Map<String, String> rows = new java.util.LinkedHashMap<>();
    rows.put("kind", r.kind().name() + " (" + r.kind().about() + ")");
    rows.put("seed", Long.toString(r.seed()));
    rows.put("mcksim version", BuildInfo.line());
    rows.put("Java version", System.getProperty("java.version"));
    rows.put("configuration digest", ShowcaseReport.configDigest(r.scenario()));
    rows.put("event-log digest", r.eventLogDigest());
    StringBuilder sb = new StringBuilder("<table class=\"meta\">");
    rows.forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td><code>").append(esc(v))
        .append("</code></td></tr>"));
    sb.append("<tr><th>runs</th><td>").append(esc(r.runLine())).append("</td></tr>");
    sb.append("</table>\n<details><summary>The full effective configuration (report.json: meta.config)</summary>"
        + "<pre>").append(esc(r.scenario().config().root().render(com.typesafe.config.ConfigRenderOptions
        .defaults().setOriginComments(false).setJson(false)))).append("</pre></details>\n");
    sb.append("<details><summary>Every engine run and its event-log digest</summary>");
    sb.append("<pre>");
    r.runs().forEach(run -> sb.append(esc(run.toString())).append('\n'));
    sb.append("</pre></details>\n");
    return sb.toString();
  }

  private static final java.util.regex.Pattern DIGEST = java.util.regex.Pattern.compile("[0-9a-f]{64}");

  /**
   * A cell as the page shows it: a number rounded to four significant digits, and a whole number of five
   * digits or more with thousands separators (the CSV and report.json keep every value whole).
   */
  static String shown(ReportKind.Field f, String cell) {
    if (cell.isEmpty() || f.type() == ReportKind.Type.STRING || f.type() == ReportKind.Type.BOOLEAN
        || cell.equals("none")) {
      return cell;
    }
    try {
      if (f.type() == ReportKind.Type.INTEGER) {
        long n = Long.parseLong(cell);
        return Math.abs(n) >= 10_000 ? String.format(Locale.ROOT, "%,d", n) : cell;
      }
      double d = Double.parseDouble(cell);
      if (Math.abs(d) >= 1_000) {
        return String.format(Locale.ROOT, Math.abs(d) >= 10_000 ? "%,.0f" : "%.0f", d);
      }
      return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return cell;
    }
  }

  /** A text that starts with a capital and ends with a full stop. */
  static String sentence(String s) {
    String t = s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    return t.endsWith(".") ? t : t + ".";
  }

  /** A JSON value as a reader sees it: text unquoted, null as "none". */
  private static String plain(String json) {
    if (json.equals("null")) {
      return "none";
    }
    return json.startsWith("\"") ? json.substring(1, json.length() - 1).replace("\\\"", "\"") : json;
  }

  static String resource(String file) {
    try (InputStream in = ReportPage.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException(file + " is not on the class path; rebuild with Maven");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static List<String> chartIds(Report r) {
    return r.charts().stream().map(ReportChart::id).toList();
  }
}
