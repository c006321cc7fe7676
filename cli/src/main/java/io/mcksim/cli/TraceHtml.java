package io.mcksim.cli;

import java.util.List;
import java.util.Locale;

/** report.html of {@code mcksim trace}: self-contained, charts by uPlot (inlined), data inlined. */
final class TraceHtml {

  static final List<String> CHARTS = List.of("chart-trace-added", "chart-trace-stages");

  private TraceHtml() {}

  static String render(TraceRun.Outcome o, Json report) {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>mcksim trace report</title>\n")
        .append("<style>\n").append(ReportHtml.resource("uPlot.min.css")).append("\nbody { font: 15px/1.45 system-ui, "
            + "sans-serif; margin: 2em auto; max-width: 1000px; padding: 0 1em; }\ntable { border-collapse: "
            + "collapse; } th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #e5e7eb; text-align: right; }\n"
            + "th:first-child, td:first-child { text-align: left; }\n</style>\n<script>\n")
        .append(ReportHtml.resource("uPlot.iife.min.js")).append("\n</script>\n</head><body>\n")
        .append("<h1>What McKernel would do to this program</h1>\n<table>")
        .append(row("recorded", Units.time(TraceCommand.recordedNs(o))))
        .append(row("predicted under McKernel", o.mckernel() == null ? "-" : Units.time(o.mckernel().runtimeNs())))
        .append(row("predicted under Linux", o.linux() == null ? "-" : Units.time(o.linux().runtimeNs())))
        .append(row("calls / threads", String.format(Locale.ROOT, "%,d / %d", o.trace().callCount(),
            o.trace().calls().size())))
        .append(row("unreadable lines", Integer.toString(o.trace().bad().size())))
        .append(row("seed", Long.toString(o.scenario().run().seed())))
        .append("</table>\n<h2>The calls that add the most time on McKernel</h2>\n")
        .append("<div id=\"chart-trace-added\"></div>\n<h2>Offload overhead by stage</h2>\n")
        .append("<div id=\"chart-trace-stages\"></div>\n<h2>Every call</h2>\n<table><tr><th>syscall</th>"
            + "<th>on McKernel</th><th>calls</th><th>McKernel (ns)</th><th>Linux (ns)</th><th>added (ns)</th></tr>");
    for (TraceRun.Row r : TraceRun.rows(o)) {
      h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td></tr>",
          ReportHtml.esc(r.syscall()), ReportHtml.esc(r.where()), r.count(), r.mckernelNs(), r.linuxNs(), r.addedNs()));
    }
    h.append("</table>\n<script>\nconst REPORT = ").append(report.toString().replace("</", "<\\/")).append(";\n")
        .append(JS).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static String row(String k, String v) {
    return "<tr><th>" + ReportHtml.esc(k) + "</th><td>" + ReportHtml.esc(v) + "</td></tr>";
  }

  private static final String JS = """
      const W = Math.min(960, document.body.clientWidth - 20);
      function bars(id, title, labels, values, color, unit) {
        const xs = labels.map((_, i) => i);
        new uPlot({title: title, width: W, height: 320,
          scales: {x: {time: false, range: [-0.6, xs.length - 0.4]}},
          axes: [{splits: () => xs, values: (u, v) => v.map(i => labels[i] || ""), rotate: -45, size: 90},
                 {label: unit, size: 80}],
          series: [{label: "call"}, {label: unit, fill: color, stroke: color, points: {show: false},
                    paths: uPlot.paths.bars({size: [0.7, 60]})}]},
          [xs, values], document.getElementById(id));
      }
      // (not "top": a page's global scope already has window.top)
      const worst = REPORT.syscalls.slice(0, 15);
      bars("chart-trace-added", "Time McKernel adds (or saves) per syscall, all calls (µs)",
           worst.map(r => r.syscall), worst.map(r => r.added_ns / 1e3), "#d9480f", "µs");
      const st = Object.entries(REPORT.offload_stages_ns);
      bars("chart-trace-stages", "Offload overhead by stage, all offloaded calls (µs)",
           st.map(e => e[0]), st.map(e => e[1] / 1e3), "#1c7ed6", "µs");
      """;
}
