package io.mcksim.cli;

import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioException;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.workloads.calibrate.Fragment;
import io.mcksim.workloads.calibrate.NoiseFit;
import io.mcksim.workloads.calibrate.SampleFiles;
import io.mcksim.workloads.calibrate.ServiceTimes;
import io.mcksim.workloads.strace.StraceParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mcksim calibrate}: the model's parameters fitted to what a real machine recorded, printed as a
 * scenario fragment (HOCON) with each value's fit quality: a noise profile from FWQ or FTQ samples, and
 * Linux's service time per system call from {@code strace -T} traces. The fitting is the workloads
 * module's ({@link NoiseFit}, {@link ServiceTimes}); this command reads the options, checks that the
 * fragment loads as a scenario, and prints it.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {"Fit mcksim's parameters to measurements from a real machine and print them as a scenario "
        + "fragment (HOCON): save it and `include \"calibrated.conf\"` it, give it to `bin/mcksim run`, or "
        + "pass any of its lines as --set KEY=VALUE. Comments give each value's fit quality.",
        "Noise (--fwq or --ftq): per-iteration samples, one core per file or per column: one number per line; "
            + "or a column per core separated by commas, semicolons, tabs or spaces, with or without a "
            + "header line; or mcksim's own fwq-samples.csv / ftq-samples.csv (its Linux cores). FWQ samples "
            + "are iteration times (in --unit); FTQ samples are the units of work done in each quantum "
            + "(--quantum says how long one is). Blank lines and lines starting with # are skipped. At least "
            + NoiseFit.MIN_SAMPLES + " iterations per core, at most " + SampleFiles.MAX_SAMPLES
            + " samples in all.",
        "Service times (--strace): the output of strace -T (with -f, -ttt, -tt or -r as `bin/mcksim trace` "
            + "reads it): each call name's mean duration less costs.syscall.linux-entry."})
final class CalibrateCommand implements Callable<Integer> {

  @Option(names = "--fwq", paramLabel = "FILE", description = "FWQ samples: iteration times (repeatable).")
  List<Path> fwq = new ArrayList<>();

  @Option(names = "--ftq", paramLabel = "FILE", description = "FTQ samples: units of work per quantum "
      + "(repeatable; needs --quantum).")
  List<Path> ftq = new ArrayList<>();

  @Option(names = "--quantum", paramLabel = "DURATION", description = "FTQ: the length of one quantum, e.g. 100us.")
  String quantum;

  @Option(names = "--unit", paramLabel = "UNIT", description = "FWQ: the unit of the iteration times: ns, us, ms, "
      + "s (default ${DEFAULT-VALUE}).")
  String unit = "ns";

  @Option(names = "--threshold", paramLabel = "DURATION", description = "The least detour counted as an "
      + "interruption (default: five times the samples' median absolute deviation, at least 0.5%% of a quiet "
      + "iteration).")
  String threshold;

  @Option(names = "--name", paramLabel = "NAME", description = "The fitted noise profile's name (default "
      + "${DEFAULT-VALUE}).")
  String name = "calibrated";

  @Option(names = "--strace", paramLabel = "FILE", description = "strace -T output (repeatable: the per-process "
      + "files of strace -ff).")
  List<Path> strace = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "A scenario whose costs.syscall.linux-entry the "
      + "service times are net of (default: the built-in one).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key of that scenario (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Mixin
  ResultOutput output;

  @Override
  public Integer call() throws IOException {
    Scenario base = new ScenarioLoader().load(config, overrides);
    Calibration c = calibrate(base);
    output.printJson(c.json());
    output.console().print(c.fragment().text());
    return 0;
  }

  /** What was fitted: the fragment, and the fits it came from (null when not asked for). */
  record Calibration(Fragment fragment, NoiseFit.Result noise, ServiceTimes.Result services) {

    Json json() {
      Json j = new Json().put("hocon", fragment.text());
      Json values = new Json();
      for (String k : fragment.keys()) {
        values.put(k, fragment.values().get(k));
      }
      j.put("values", values);
      if (noise != null) {
        Json n = new Json().put("cores", noise.cores()).put("samples", noise.samples())
            .put("quietNs", noise.quietNs()).put("thresholdNs", noise.threshold()).put("spanNs", noise.spanNs())
            .put("measuredNoise", noise.measuredNoise()).put("fittedNoise", noise.fittedNoise());
        if (noise.tick() != null) {
          NoiseFit.Tick t = noise.tick();
          n.put("tick", new Json().put("frequencyHz", t.frequencyHz()).put("durationNs", t.durationNs())
              .put("phase", t.phase()).put("hits", t.hits()).put("expected", t.expected())
              .put("rmsResidualNs", t.rmsResidualNs()));
        }
        if (noise.daemons() != null) {
          NoiseFit.Daemons d = noise.daemons();
          n.put("daemons", new Json().put("gap", d.gap()).put("duration", d.duration()).put("count", d.count())
              .put("gapCv", d.gapCv()).put("gapKs", d.gapKs()).put("durationKsFixed", d.ks()[0])
              .put("durationKsUniform", d.ks()[1]).put("durationKsExponential", d.ks()[2]));
        }
        n.put("warnings", Json.array(noise.warnings()));
        j.put("noise", n);
      }
      if (services != null) {
        Json s = new Json();
        for (Map.Entry<String, ServiceTimes.Call> e : services.calls().entrySet()) {
          ServiceTimes.Call call = e.getValue();
          s.put(e.getKey(), new Json().put("calls", call.durations().length).put("meanNs", call.mean())
              .put("medianNs", call.quantile(0.5)));
        }
        j.put("syscalls", s);
      }
      return j;
    }
  }

  Calibration calibrate(Scenario base) throws IOException {
    if (fwq.isEmpty() && ftq.isEmpty() && strace.isEmpty()) {
      throw new IllegalArgumentException("nothing to fit: give FWQ samples (--fwq FILE), FTQ samples (--ftq FILE "
          + "--quantum D) or strace -T traces (--strace FILE)");
    }
    if (!fwq.isEmpty() && !ftq.isEmpty()) {
      throw new IllegalArgumentException("--fwq and --ftq together: a noise profile is fitted to one kind of "
          + "samples; give one kind");
    }
    if (!ftq.isEmpty() && quantum == null) {
      throw new IllegalArgumentException("--ftq needs --quantum, the length of one FTQ time quantum (e.g. "
          + "--quantum 100us)");
    }
    if (!fwq.isEmpty() && quantum != null) {
      throw new IllegalArgumentException("--quantum is for FTQ samples (--ftq); FWQ samples are iteration times");
    }
    if (!name.matches("[A-Za-z0-9_-]+") || io.mcksim.config.NoiseSettings.BUILT_IN.contains(name)) {
      throw new IllegalArgumentException("--name '" + name + "': a profile's name of letters, digits, '-' and '_',"
          + " not a built-in one (" + io.mcksim.config.NoiseSettings.BUILT_IN + ")");
    }
    Fragment f = new Fragment();
    f.comment("mcksim calibrate (" + BuildInfo.version() + "): fitted values, each after how well it fits.");
    f.comment("Use: bin/mcksim run SCENARIO with `include \"THIS FILE\"` in it, or --set KEY=VALUE for any line.");
    NoiseFit.Result noise = null;
    if (!fwq.isEmpty() || !ftq.isEmpty()) {
      boolean isFtq = !ftq.isEmpty();
      List<Path> files = isFtq ? ftq : fwq;
      NoiseFit.Options o = new NoiseFit.Options(isFtq, isFtq ? duration("--quantum", quantum) : 0,
          threshold == null ? 0 : duration("--threshold", threshold));
      noise = NoiseFit.fit(SampleFiles.read(files, isFtq ? 1 : nsPer(unit)), o);
      f.blank().append(NoiseFit.fragment(noise, name, (isFtq ? "FTQ samples " : "FWQ samples ") + files));
      for (String w : noise.warnings()) {
        System.err.println("mcksim: calibrate: warning: " + w);
      }
      f.comment("the Linux CPUs' noise: this profile");
      f.set("os.linux-noise", name);
    }
    ServiceTimes.Result services = null;
    if (!strace.isEmpty()) {
      List<StraceParser.Source> sources = new ArrayList<>();
      for (Path p : strace) {
        sources.add(StraceParser.Source.of(TraceCommand.traceFile(p)));
      }
      services = ServiceTimes.read(sources);
      for (var bad : services.trace().badLines().stream().limit(TraceCommand.LISTED).toList()) {
        System.err.println("mcksim: calibrate: skipped " + bad);
      }
      f.blank().append(ServiceTimes.fragment(services, base.syscalls().linuxEntry(), "strace " + strace));
    }
    check(f);
    return new Calibration(f, noise, services);
  }

  /** The fragment loads as a scenario (its profile within the noise checks); else what is wrong, as bad input. */
  private static void check(Fragment f) {
    try {
      new ScenarioLoader().loadText(f.text(), "(the fitted fragment)");
    } catch (ScenarioException e) {
      throw new IllegalArgumentException("the fitted values do not make a scenario mcksim can run: " + e.getMessage()
          + "; check the samples (is --unit right? is the quantum shorter than the gaps between interruptions?)", e);
    }
  }

  private static long duration(String option, String text) {
    long ns;
    try {
      ns = ScenarioLoader.parseDurationNs(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(option + ": '" + text + "' is not a duration; write one such as 100us, 2ms");
    }
    if (ns <= 0) {
      throw new IllegalArgumentException(option + ": '" + text + "' must be longer than 0");
    }
    return ns;
  }

  private static double nsPer(String unit) {
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "ns" -> 1;
      case "us" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      default -> throw new IllegalArgumentException("--unit: '" + unit + "' is not one of ns, us, ms, s");
    };
  }
}
