package io.mcksim.cli;

import java.util.List;
import java.util.Locale;

/** report.html of {@code mcksim trace}: self-contained, charts by uPlot (inlined), data inlined. */
final class TraceHtml {

  static final List<String> CHARTS = List.of("chart-trace-added", "chart-trace-stages");

  private TraceHtml() {}

  static String render(TraceRun.Outcome o, Json report) {
    HtmlPage page = new HtmlPage("mcksim trace report")
        .heading(1, "What McKernel would do to this program")
        .raw("<table>"
            + row("recorded", Units.time(TraceCommand.recordedNs(o)))
            + row("predicted under McKernel", o.mckernel() == null ? "-" : Units.time(o.mckernel().runtimeNs()))
            + row("predicted under Linux", o.linux() == null ? "-" : Units.time(o.linux().runtimeNs()))
            + row("calls / threads", String.format(Locale.ROOT, "%,d / %d", o.programs().callCount(),
                o.programs().threadCount()))
            + row("unreadable lines", Long.toString(o.programs().trace().unreadable()))
            + row("warnings", Long.toString(o.programs().warnings().count()))
            + row("seed", Long.toString(o.scenario().run().seed())) + "</table>")
        .heading(2, "The calls that add the most time on McKernel").chart("chart-trace-added")
        .heading(2, "Offload overhead by stage").chart("chart-trace-stages")
        .heading(2, "Every call");
    List<String[]> rows = new java.util.ArrayList<>();
    for (TraceRun.Row r : TraceRun.rows(o)) {
      rows.add(new String[] {r.syscall(), r.where(), String.format(Locale.ROOT, "%,d", r.count()),
          String.format(Locale.ROOT, "%,d", r.mckernelNs()), String.format(Locale.ROOT, "%,d", r.linuxNs()),
          String.format(Locale.ROOT, "%,d", r.addedNs())});
    }
    page.table(new String[] {"syscall", "on McKernel", "calls", "McKernel (ns)", "Linux (ns)", "added (ns)"}, rows);
    return page.render("const REPORT = " + report + ";", JS);
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
