package io.mcksim.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The showcase's console summary: the key tables, where the report is, the seed and the digest. */
final class ShowcaseConsole {

  private ShowcaseConsole() {}

  static String summary(ShowcaseReport.Content c, Path where) {
    ShowcaseRun.Outcome o = c.outcome();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nBoot: McKernel on %d of %d CPUs was RUNNING %s after BOOTING;"
        + " mcreboot.sh returned at %s%n", o.scenario().partition().instances().get(0).cpus().size(),
        o.scenario().machine().cpus(), Units.time(o.boot().bootNs()), Units.time(o.boot().readyNs())));

    sb.append(String.format(Locale.ROOT, "%nOS noise (FWQ, %s quantum, %,d iterations per core, Linux noise %s)%n",
        Units.time(o.scenario().workload().fwq().quantumNs()), o.scenario().workload().fwq().iterations(),
        o.scenario().workload().fwq().noise()));
    List<String[]> rows = new ArrayList<>();
    for (ShowcaseReport.KernelNoise k : ShowcaseReport.fwqByKernel(o)) {
      rows.add(new String[] {k.name(), Integer.toString(k.cores()),
          String.format(Locale.ROOT, "%.3f", k.meanNs() / 1e3), String.format(Locale.ROOT, "%.3f", k.maxNs() / 1e3),
          String.format(Locale.ROOT, "%.4f", 100 * k.noiseFraction())});
    }
    sb.append(Table.render(new String[] {"kernel", "cores", "mean (us)", "max (us)", "noise (%)"}, rows, 1));

    sb.append(String.format(Locale.ROOT, "%nSystem calls (%,d calls each; McKernel table %s)%n",
        o.scenario().workload().syscalls().calls(), o.scenario().workload().syscalls().table()));
    rows = new ArrayList<>();
    for (SyscallsRun.Row r : o.syscalls().rows()) {
      rows.add(new String[] {r.name(), r.dispatch(), String.format(Locale.ROOT, "%.1f", r.mckernelMean()),
          String.format(Locale.ROOT, "%.1f", r.linuxMean())});
    }
    sb.append(Table.render(new String[] {"call", "on McKernel", "McKernel (ns)", "Linux native (ns)"}, rows, 2));

    var b = o.scenario().workload().bsp();
    sb.append(String.format(Locale.ROOT, "%nBSP, Linux against McKernel (%d iterations, %s)%n", b.iterations(),
        b.collective()));
    rows = new ArrayList<>();
    for (long[] r : ShowcaseReport.speedups(o)) {
      rows.add(new String[] {String.format(Locale.ROOT, "%,d", r[0]), String.format(Locale.ROOT, "%.4f", r[1] / 1e6),
          String.format(Locale.ROOT, "%.4f", r[2] / 1e6), String.format(Locale.ROOT, "%.4f", (double) r[1] / r[2])});
    }
    sb.append(Table.render(new String[] {"nodes", "Linux (ms)", "McKernel (ms)", "McKernel speedup"}, rows, 0));

    long events = ShowcaseReport.events(o);
    sb.append(String.format(Locale.ROOT, "%n  report: %s (report.html, report.json, %d CSV files)%n", where,
        c.report().tables().size()));
    sb.append(String.format(Locale.ROOT, "  seed %d, event-log digest %s%n", o.scenario().run().seed(),
        ShowcaseReport.eventLogDigest(o)));
    sb.append(String.format(Locale.ROOT, "  %,d events in %.1f s of wall time%n", events, o.wallNanos() / 1e9));
    return sb.toString();
  }
}
