package io.mcksim.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One chart of a report page, as the page's script (report-charts.js) draws it: lines, steps or bars
 * (grouped, or stacked), each axis labelled with its unit, linear or logarithmic. A series has a role
 * ({@code linux}, {@code mckernel}, {@code ideal}) that fixes its colour and line, or takes the next
 * colour of the palette; the ideal is drawn dashed, on top.
 */
final class ReportChart {

  private final String id;
  private final String title;
  private final String kind;
  private final Json x = new Json();
  private final Json y = new Json();
  private final List<Json> series = new ArrayList<>();
  private boolean stacked;
  private String note;
  private Integer height;

  private ReportChart(String id, String kind, String title) {
    if (!id.matches("chart-[a-z0-9-]+")) {
      throw new IllegalArgumentException("chart id " + id);
    }
    this.id = id;
    this.kind = kind;
    this.title = title;
  }

  /** Lines over a numeric x axis. */
  static ReportChart lines(String id, String title, String xLabel, String yLabel) {
    ReportChart c = new ReportChart(id, "lines", title);
    c.x.put("label", xLabel);
    c.y.put("label", yLabel);
    return c;
  }

  /** Markers only, no lines between them, over a numeric x axis. */
  static ReportChart points(String id, String title, String xLabel, String yLabel) {
    ReportChart c = new ReportChart(id, "points", title);
    c.x.put("label", xLabel);
    c.y.put("label", yLabel);
    return c;
  }

  /** Steps (a value holds until the next point) over a numeric x axis. */
  static ReportChart steps(String id, String title, String xLabel, String yLabel) {
    ReportChart c = new ReportChart(id, "steps", title);
    c.x.put("label", xLabel);
    c.y.put("label", yLabel);
    return c;
  }

  /** Bars over categories, one bar per series in each (side by side, or {@link #stacked}). */
  static ReportChart bars(String id, String title, List<String> categories, String xLabel, String yLabel) {
    ReportChart c = new ReportChart(id, "bars", title);
    c.x.put("label", xLabel).put("categories", categories);
    c.y.put("label", yLabel);
    return c;
  }

  String id() {
    return id;
  }

  /** A logarithmic x axis of this base. */
  ReportChart logX(int base) {
    x.put("log", base);
    return this;
  }

  /** A logarithmic y axis (base 10) that starts a decade below the smallest positive value. */
  ReportChart logY() {
    y.put("log", 10);
    return this;
  }

  /** A y axis over the data's range only, not from zero (to show small differences; the label says so). */
  ReportChart yFromData() {
    y.put("zero", false);
    return this;
  }

  /** Names for y values (a state chart): value to name. */
  ReportChart yNames(Map<Integer, String> names) {
    Json n = new Json();
    names.forEach((k, v) -> n.put(Integer.toString(k), v));
    y.put("names", n).put("min", names.keySet().stream().mapToInt(i -> i).min().orElse(0))
        .put("max", names.keySet().stream().mapToInt(i -> i).max().orElse(1));
    return this;
  }

  ReportChart stacked() {
    stacked = true;
    return this;
  }

  ReportChart height(int px) {
    height = px;
    return this;
  }

  /** A sentence printed under the chart. */
  ReportChart note(String text) {
    note = text;
    return this;
  }

  /** A series of points; {@code role} is linux, mckernel, ideal, or null for the palette's next colour. */
  ReportChart series(String label, String role, List<? extends Number> xs, List<? extends Number> ys) {
    series.add(new Json().put("label", label).put("role", role).put("x", xs).put("y", ys));
    return this;
  }

  /** What hovering over each point of the last series shows. */
  ReportChart tips(List<String> tips) {
    series.get(series.size() - 1).put("tips", tips);
    return this;
  }

  /** A series of a bar chart: one value per category (null: no bar). */
  ReportChart bars(String label, String role, List<? extends Number> values) {
    series.add(new Json().put("label", label).put("role", role).put("x", List.of()).put("y", values));
    return this;
  }

  Json json() {
    Json j = new Json().put("id", id).put("title", title).put("kind", kind).put("x", x).put("y", y)
        .put("series", series).put("stacked", stacked);
    if (note != null) {
      j.put("note", note);
    }
    if (height != null) {
      j.put("height", height);
    }
    return j;
  }
}
