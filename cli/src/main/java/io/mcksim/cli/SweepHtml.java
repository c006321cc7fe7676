package io.mcksim.cli;

import java.util.List;

/**
 * report.html of a sweep: every run's runtime and slowdown, drawn against the node count when the
 * sweep varies it (one line per combination of the other keys), and McKernel's speedup over Linux
 * when it compares the two.
 */
final class SweepHtml {

  static final List<String> CHARTS = List.of("chart-sweep-runtime", "chart-sweep-slowdown", "chart-sweep-speedup");

  private SweepHtml() {}

  static String render(io.mcksim.config.Sweep sweep, String[] head, List<String[]> rows, String[] speedHead,
      List<String[]> speed, Json all) {
    HtmlPage page = new HtmlPage("mcksim sweep report")
        .heading(1, "Sweep of " + rows.size() + " runs over " + String.join(", ", sweep.keys()))
        .chart("chart-sweep-runtime").chart("chart-sweep-slowdown");
    if (!speed.isEmpty()) {
      page.heading(2, "McKernel against Linux").chart("chart-sweep-speedup").table(speedHead, speed);
    }
    page.heading(2, "Every run").table(head, rows);
    return page.render("const SWEEP = " + all + ";\nconst KEYS = " + Json.array(sweep.keys()) + ";", JS);
  }

  private static final String JS = """
      const W = Math.min(960, document.body.clientWidth - 20);
      const COLORS = ["#d9480f", "#1c7ed6", "#2b8a3e", "#ae3ec9", "#f59f00", "#0b7285", "#495057"];
      const runs = SWEEP.runs;
      const byNodes = KEYS.includes("machine.nodes");
      // one series per combination of the keys other than machine.nodes
      const other = KEYS.filter(k => k !== "machine.nodes");
      const label = r => other.map(k => k + "=" + r[k]).join(" ") || "runtime";
      const groups = [...new Set(runs.map(label))];
      const xs = byNodes ? [...new Set(runs.map(r => Number(r["machine.nodes"])))].sort((a, b) => a - b)
                         : runs.map((_, i) => i);
      function plot(id, title, unit, value) {
        const data = [xs], series = [{label: byNodes ? "nodes" : "run"}];
        groups.forEach((g, i) => {
          data.push(xs.map((x, j) => {
            const r = byNodes ? runs.find(r => label(r) === g && Number(r["machine.nodes"]) === x)
                              : (label(runs[j]) === g ? runs[j] : null);
            return r ? value(r.result) : null;
          }));
          series.push({label: g, stroke: COLORS[i % COLORS.length], width: 2, points: {show: true},
                       spanGaps: true});
        });
        new uPlot({title: title, width: W, height: 300,
                   scales: {x: byNodes ? {time: false, distr: 3, log: 2} : {time: false}},
                   axes: [{label: byNodes ? "nodes" : "run"}, {label: unit, size: 70}], series: series},
                  data, document.getElementById(id));
      }
      plot("chart-sweep-runtime", "Runtime", "ms", r => r.runtime_ns / 1e6);
      plot("chart-sweep-slowdown", "Slowdown against the noiseless ideal", "slowdown", r => r.slowdown);
      if (document.getElementById("chart-sweep-speedup") && byNodes) {
        const sp = xs.map(x => {
          const l = runs.find(r => r["os.model"] === "linux" && Number(r["machine.nodes"]) === x);
          const m = runs.find(r => r["os.model"] === "mckernel" && Number(r["machine.nodes"]) === x);
          return l && m ? l.result.runtime_ns / m.result.runtime_ns : null;
        });
        new uPlot({title: "McKernel's speedup over Linux", width: W, height: 300,
                   scales: {x: {time: false, distr: 3, log: 2}},
                   axes: [{label: "nodes"}, {label: "speedup", size: 70}],
                   series: [{label: "nodes"}, {label: "speedup", stroke: "#1c7ed6", width: 2, points: {show: true}}]},
                  [xs, sp], document.getElementById("chart-sweep-speedup"));
      }
      """;
}
