package io.mcksim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * report.html: one self-contained page, readable offline. The charts are drawn by uPlot, whose
 * script and style are inlined from its webjar; the data is the report's own JSON, inlined too.
 */
final class ReportHtml {

  static final String UPLOT_VERSION = "1.6.30";

  /** The charts, by element id; the tests check each is on the page. */
  static final List<String> CHARTS = List.of("chart-os-states", "chart-fwq-iterations", "chart-fwq-noise",
      "chart-syscall-stages", "chart-bsp-runtime", "chart-bsp-speedup");

  private ReportHtml() {}

  static String resource(String file) {
    String path = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/" + file;
    try (InputStream in = ReportHtml.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("uPlot " + UPLOT_VERSION + " is not on the class path (" + path
            + "); rebuild with Maven");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  static String render(ShowcaseReport.Content c) {
    ShowcaseRun.Outcome o = c.outcome();
    StringBuilder series = new StringBuilder("[");
    for (FwqRun.Core core : o.fwq().cores()) {
      long[] s = core.samples();
      long[] head = java.util.Arrays.copyOf(s, Math.min(s.length, ShowcaseReport.CHART_ITERATIONS));
      series.append(series.length() == 1 ? "" : ",")
          .append(new Json().put("kernel", core.kernel()).put("cpu", core.cpu()).put("ns", Json.array(head)));
    }
    series.append(']');
    String data = c.json().toString();
    StringBuilder h = new StringBuilder();
    h.append("<h1>mcksim report</h1>\n<p class=\"lead\">One node of ").append(o.scenario().machine().cpus())
        .append(" CPUs boots McKernel on ").append(o.scenario().partition().instances().get(0).cpus().size())
        .append(" of them; FWQ shows the noise of its Linux cores against its McKernel cores; the system-call "
            + "microbenchmark shows what each call costs where it runs; a BSP application runs under Linux "
            + "and under McKernel on machines of up to ")
        .append(String.format(Locale.ROOT, "%,d", o.bsp().isEmpty() ? 0
            : o.bsp().get(o.bsp().size() - 1).measured().plan().nodes()))
        .append(" nodes.</p>\n");
    h.append("<h2>Run</h2>\n").append(metaTable(c)).append('\n');
    h.append("<h2>Boot</h2>\n<p>The OS instance's states as <code>ihkosctl get status</code> shows them, "
        + "against virtual time. McKernel ran after ").append(esc(Units.time(o.boot().bootNs())))
        .append(" of booting.</p>\n<div class=\"chart\" id=\"chart-os-states\"></div>\n")
        .append("<details><summary>Kernel log (kmsg)</summary><pre>");
    o.boot().kmsg().forEach(l -> h.append(esc(l)).append('\n'));
    h.append("</pre></details>\n");
    h.append("<h2>OS noise: FWQ</h2>\n<p>Every core repeats a ")
        .append(esc(Units.time(o.scenario().workload().fwq().quantumNs())))
        .append(" quantum of work; an iteration that takes longer was interrupted. Linux cores have the "
            + "noise profile <code>").append(esc(o.scenario().workload().fwq().noise()))
        .append("</code>; McKernel cores are tick-less. The first ")
        .append(String.format(Locale.ROOT, "%,d", ShowcaseReport.CHART_ITERATIONS))
        .append(" iterations of each core are drawn; fwq-samples.csv has them all.</p>\n")
        .append("<div class=\"chart\" id=\"chart-fwq-iterations\"></div>\n")
        .append("<div class=\"chart\" id=\"chart-fwq-noise\"></div>\n").append(fwqTable(o)).append('\n');
    h.append("<h2>System calls</h2>\n<p>Each call's latency by stage: on McKernel (local, or offloaded "
        + "to Linux through IKC, mcctrl and the proxy) and natively on Linux.</p>\n")
        .append("<div class=\"chart\" id=\"chart-syscall-stages\"></div>\n").append(syscallTable(o)).append('\n');
    h.append("<h2>BSP: Linux against McKernel</h2>\n<p>")
        .append(esc(o.scenario().workload().bsp().iterations() + " iterations; every thread computes, the "
            + "threads of each node meet, and the nodes run " + o.scenario().workload().bsp().collective()
            + "."))
        .append("</p>\n<div class=\"chart\" id=\"chart-bsp-runtime\"></div>\n")
        .append("<div class=\"chart\" id=\"chart-bsp-speedup\"></div>\n").append(bspTable(o));
    return new HtmlPage("mcksim report").raw(h.toString())
        .render("const REPORT = " + data + ";\nconst FWQ_SERIES = " + series + ";", CHARTS_JS);
  }

  static String esc(String s) {
    return HtmlPage.esc(s);
  }

  private static String metaTable(ShowcaseReport.Content c) {
    ShowcaseRun.Outcome o = c.outcome();
    long events = ShowcaseReport.events(o);
    double engineWall = o.results().stream().mapToDouble(r -> r.wallSeconds()).sum();
    String[][] rows = {
        {"seed", Long.toString(o.scenario().run().seed())},
        {"configuration digest", ShowcaseReport.configDigest(o.scenario())},
        {"event-log digest", ShowcaseReport.eventLogDigest(o)},
        {"mcksim version", BuildInfo.line()},
        {"Java version", System.getProperty("java.version")},
        {"engine", o.scenario().run().engine()},
        {"wall time", String.format(Locale.ROOT, "%.2f s", o.wallNanos() / 1e9)},
        {"events", String.format(Locale.ROOT, "%,d", events)},
        {"events per second", String.format(Locale.ROOT, "%,.0f", engineWall > 0 ? events / engineWall : 0.0)},
    };
    StringBuilder t = new StringBuilder("<table class=\"meta\">");
    for (String[] r : rows) {
      t.append("<tr><th>").append(esc(r[0])).append("</th><td><code>").append(esc(r[1])).append("</code></td></tr>");
    }
    return t.append("</table>").toString();
  }

  private static String fwqTable(ShowcaseRun.Outcome o) {
    List<String[]> rows = new java.util.ArrayList<>();
    for (ShowcaseReport.KernelNoise k : ShowcaseReport.fwqByKernel(o)) {
      rows.add(new String[] {k.name(), Integer.toString(k.cores()), String.format(Locale.ROOT, "%.3f", k.meanNs() / 1e3),
          String.format(Locale.ROOT, "%.3f", k.worstP99Ns() / 1e3), String.format(Locale.ROOT, "%.3f", k.maxNs() / 1e3),
          String.format(Locale.ROOT, "%.4f%%", k.noiseFraction() * 100)});
    }
    return HtmlPage.tableHtml(new String[] {"kernel", "cores", "mean (µs)", "worst p99 (µs)", "max (µs)", "noise"},
        rows);
  }

  private static String syscallTable(ShowcaseRun.Outcome o) {
    List<String[]> rows = new java.util.ArrayList<>();
    for (SyscallsRun.Row r : o.syscalls().rows()) {
      rows.add(new String[] {r.name(), r.dispatch(), String.format(Locale.ROOT, "%.1f", r.mckernelMean()),
          String.format(Locale.ROOT, "%.1f", r.linuxMean())});
    }
    return HtmlPage.tableHtml(new String[] {"call", "on McKernel", "McKernel mean (ns)", "Linux native (ns)"}, rows);
  }

  private static String bspTable(ShowcaseRun.Outcome o) {
    List<String[]> rows = new java.util.ArrayList<>();
    for (long[] r : ShowcaseReport.speedups(o)) {
      rows.add(new String[] {String.format(Locale.ROOT, "%,d", r[0]), String.format(Locale.ROOT, "%.4f", r[1] / 1e6),
          String.format(Locale.ROOT, "%.4f", r[2] / 1e6), String.format(Locale.ROOT, "%.4f", (double) r[1] / r[2])});
    }
    return HtmlPage.tableHtml(new String[] {"nodes", "Linux (ms)", "McKernel (ms)", "McKernel speedup"}, rows);
  }

  /** Draws the charts from REPORT and FWQ_SERIES with uPlot. */
  private static final String CHARTS_JS = """
      const W = Math.min(960, document.body.clientWidth - 20), H = 300;
      const LINUX = "#d9480f", MCK = "#1c7ed6", IDEAL = "#868e96";
      const us = ns => ns / 1e3, ms = ns => ns / 1e6;
      function chart(id, opts, data) {
        return new uPlot(Object.assign({width: W, height: H}, opts), data, document.getElementById(id));
      }
      // OS-instance states over virtual time
      (function () {
        const t = REPORT.boot.transitions;
        const states = ["INACTIVE", "BOOTING", "RUNNING", "SHUTDOWN", "PANIC", "HUNGUP", "FREEZING", "FROZEN"];
        const xs = [0], ys = [0];
        for (const e of t) { xs.push(ms(e.time_ns)); ys.push(Math.max(0, states.indexOf(e.state))); }
        xs.push(xs[xs.length - 1] * 1.05 + 1); ys.push(ys[ys.length - 1]);
        chart("chart-os-states", {
          title: "OS instance 0: state against virtual time",
          scales: {x: {time: false}, y: {range: [0, 3]}},
          axes: [{label: "virtual time (ms)"},
                 {label: "state", size: 80, splits: () => [0, 1, 2], values: (u, v) => v.map(i => states[i] || "")}],
          series: [{label: "virtual time (ms)"}, {label: "state", stroke: MCK, width: 2, paths: uPlot.paths.stepped({align: 1}),
                    value: (u, v) => v == null ? "" : states[v]}],
        }, [xs, ys]);
      })();
      // FWQ: every core's iteration times
      (function () {
        const n = Math.max(...FWQ_SERIES.map(c => c.ns.length));
        const q = us(REPORT.fwq.quantum_ns);
        const xs = Array.from({length: n}, (_, i) => i);
        const data = [xs], series = [{label: "iteration"}];
        // McKernel's cores last, so that their flat line shows over the Linux cores' baseline
        const order = FWQ_SERIES.filter(c => c.kernel === "linux").concat(FWQ_SERIES.filter(c => c.kernel !== "linux"));
        for (const c of order) {
          data.push(c.ns.map(us));
          series.push({label: c.kernel + " cpu " + c.cpu, stroke: c.kernel === "linux" ? LINUX : MCK,
                       width: c.kernel === "linux" ? 1 : 2});
        }
        chart("chart-fwq-iterations", {
          title: "FWQ: time of each iteration, every core (orange: Linux, blue: McKernel)",
          legend: {show: false},
          scales: {x: {time: false}, y: {range: (u, min, max) => [Math.min(min, q) - 2, max + 2]}},
          axes: [{label: "iteration"}, {label: "iteration time (µs)", size: 70}], series: series,
        }, data);
      })();
      // FWQ: how much noise each iteration suffered
      (function () {
        const h = REPORT.fwq.noise_histogram;
        const xs = h.linux.map((_, i) => i * h.bin_ns / 1e3);
        const nz = v => v > 0 ? v : null;
        const bars = uPlot.paths.bars({size: [0.45, 40], align: 0});
        chart("chart-fwq-noise", {
          title: "FWQ: iterations by the time noise added (bins of " + h.bin_ns / 1e3 + " µs; the last holds all beyond)",
          scales: {x: {time: false, range: [-1, xs.length]}, y: {distr: 3}},
          axes: [{label: "noise in one iteration (µs)"}, {label: "iterations", size: 70}],
          series: [{label: "µs"},
                   {label: "Linux cores", stroke: LINUX, fill: LINUX + "99", paths: bars, points: {show: false}},
                   {label: "McKernel cores", stroke: MCK, fill: MCK + "99", points: {show: false},
                    paths: uPlot.paths.bars({size: [0.45, 40], align: 1})}],
        }, [xs, h.linux.map(nz), h.mckernel.map(nz)]);
      })();
      // System calls: latency by stage, stacked; a McKernel bar and a native Linux bar per call
      (function () {
        const calls = REPORT.syscalls.calls;
        const labels = [], rows = [];
        for (const c of calls) {
          labels.push(c.name + " McK"); rows.push(c.stages_ns);
          // the native call's service time is the same Linux work as an offloaded call's linuxService
          labels.push(c.name + " Linux"); rows.push({linuxEntry: c.linux_native_stages_ns.entry,
                                                     linuxService: c.linux_native_stages_ns.service});
        }
        const stages = [];
        for (const r of rows) for (const k of Object.keys(r)) if (!stages.includes(k)) stages.push(k);
        const xs = labels.map((_, i) => i);
        const cum = stages.map(() => new Array(rows.length).fill(0));
        rows.forEach((r, i) => { let acc = 0; stages.forEach((k, j) => { acc += (r[k] || 0); cum[j][i] = (r[k] ? acc : null); }); });
        // a stage's bar spans from 0 to its running total; later (lower) stages are drawn over earlier ones
        const palette = ["#4c6ef5", "#15aabf", "#82c91e", "#fab005", "#fd7e14", "#e64980", "#7950f2", "#20c997",
                         "#868e96", "#d9480f", "#364fc7", "#0b7285"];
        const series = [{label: "call"}], data = [xs];
        for (let j = stages.length - 1; j >= 0; j--) {
          series.push({label: stages[j], fill: palette[j % palette.length], stroke: palette[j % palette.length],
                       paths: uPlot.paths.bars({size: [0.7, 60]}), points: {show: false}});
          data.push(cum[j]);
        }
        chart("chart-syscall-stages", {
          title: "System-call latency by stage (ns)", height: 380,
          scales: {x: {time: false, range: [-0.6, xs.length - 0.4]}},
          axes: [{label: "", splits: () => xs, values: (u, v) => v.map(i => labels[i] || ""), rotate: -50, size: 90,
                  gap: 2, font: "11px system-ui"},
                 {label: "ns", size: 60}],
          series: series,
        }, data);
      })();
      // BSP: runtime and speedup against the node count
      (function () {
        const runs = REPORT.bsp.runs, sp = REPORT.bsp.speedup;
        const nodes = sp.map(r => r.nodes);
        const pick = (os, f) => nodes.map(n => { const r = runs.find(x => x.nodes === n && x.os === os); return r ? f(r) : null; });
        const logx = {time: false, distr: 3, log: 2};
        chart("chart-bsp-runtime", {
          title: "BSP runtime against the node count",
          scales: {x: logx},
          axes: [{label: "nodes"}, {label: "runtime (ms)", size: 70}],
          series: [{label: "nodes"},
                   {label: "Linux", stroke: LINUX, width: 2, points: {show: true}},
                   {label: "McKernel", stroke: MCK, width: 2, points: {show: true}},
                   {label: "noiseless ideal", stroke: IDEAL, dash: [6, 4], width: 1}],
        }, [nodes, pick("linux", r => ms(r.runtime_ns)), pick("mckernel", r => ms(r.runtime_ns)),
            pick("mckernel", r => ms(r.ideal_ns))]);
        chart("chart-bsp-speedup", {
          title: "McKernel's speedup over Linux",
          scales: {x: logx},
          axes: [{label: "nodes"}, {label: "speedup", size: 70}],
          series: [{label: "nodes"}, {label: "speedup", stroke: MCK, width: 2, points: {show: true}}],
        }, [nodes, sp.map(r => r.speedup)]);
      })();
      """;
}
