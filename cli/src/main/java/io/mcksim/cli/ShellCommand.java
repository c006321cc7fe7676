package io.mcksim.cli;

import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.ihk.Operator;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.IhkNodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mcksim shell}: the IHK admin shell against one simulated node of the scenario. Reads commands
 * in the real tools' syntax, interactively or from piped standard input; virtual time moves only as
 * commands take it or {@code advance} says.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
    description = "Administer a simulated node with ihkconfig, ihkosctl, mcreboot.sh and "
        + "mcstop+release.sh; 'advance DURATION' moves virtual time (up to 36500d in all). Reads standard "
        + "input.",
    exitCodeList = "1:with piped input, a command failed (an interactive session always ends with 0)")
final class ShellCommand implements Callable<Integer> {

  @Mixin
  ScenarioOptions scenario;

  @Option(names = "--out", paramLabel = "DIR", description = "The folder 'ihkosctl OS dump FILE' writes "
      + "into, created on the first dump (default ${DEFAULT-VALUE}). FILE is a new name inside it; '..' and "
      + "paths outside it are refused (EACCES), and so is a name already taken (EEXIST).")
  Path out = Path.of("mcksim-shell");

  /** Longest a single command may take in virtual time before the shell gives up on it. */
  static final long COMMAND_LIMIT_NS = 600_000_000_000L;

  /**
   * The latest virtual time {@code advance} reaches: 36,500 days (about 100 years), far enough below
   * the largest virtual time that whatever a command schedules afterwards still fits.
   */
  static final long MAX_TIME_NS = 36_500L * 86_400 * 1_000_000_000;

  /** The longest command line read; a longer one is refused and skipped. */
  static final int MAX_LINE = 65_536;

  private static final String HELP = String.join("\n",
      "commands (one per line; # starts a comment):",
      "  ihkconfig 0 reserve|release cpu LIST      e.g. ihkconfig 0 reserve cpu 4-7",
      "  ihkconfig 0 reserve|release mem SPEC|all  e.g. ihkconfig 0 reserve mem 2G@0",
      "  ihkconfig 0 query cpu|mem | create | destroy OS | get os_instances",
      "  ihkosctl OS assign|release cpu LIST | assign|release mem SPEC|all | query [cpu|mem]",
      "  ihkosctl OS load IMAGE | kargs \"hidos ...\" | boot | shutdown | get status | kmsg",
      "  ihkosctl OS clear_kmsg | set ikc_map MAP | get ikc_map | freeze | thaw",
      "  mcreboot.sh -c CPUS -m MEM [-r IKC_MAP] [-k KARGS]",
      "  mcstop+release.sh",
      "  inject boot-failure OS CPU_INDEX          the next boot of OS fails at that McKernel CPU",
      "  advance DURATION                          e.g. advance 500ms (up to 36500d in all)",
      "  time | help | exit");

  private SequentialEngine.Session session;
  private HybridModel model;
  private PrintStream console;
  private int failures;

  @Override
  public Integer call() throws IOException {
    List<String> single = new ArrayList<>(List.of("machine.nodes=1"));
    Scenario s = scenario.load(single);
    model = IhkNodes.shell(s, out);
    session = SequentialEngine.open(model);
    console = System.out;
    boolean interactive = System.console() != null;
    if (interactive) {
      console.println("mcksim shell: one node, " + s.machine().cpus() + " CPUs, "
          + s.machine().numa().size() + " NUMA nodes; everything starts with Linux. 'help' lists"
          + " commands.");
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int lineNo = 0;
    while (true) {
      if (interactive) {
        console.print("mcksim [" + Units.time(session.now()) + "]> ");
        console.flush();
      }
      String line = readLine(in);
      if (line == null) {
        break;
      }
      lineNo++;
      if (line.length() > MAX_LINE) {
        console.println("error: line " + lineNo + ": longer than " + MAX_LINE + " characters; skipped");
        failures++;
        continue;
      }
      String cmd = stripComment(line).trim();
      if (cmd.isEmpty()) {
        continue;
      }
      if (!interactive) {
        console.println("$ " + cmd);
      }
      if (cmd.equals("exit") || cmd.equals("quit")) {
        break;
      }
      try {
        execute(cmd);
      } catch (IllegalArgumentException e) {
        console.println("error: line " + lineNo + ": " + e.getMessage());
        failures++;
      }
    }
    return interactive || failures == 0 ? 0 : 1;
  }

  private void execute(String cmd) {
    List<String> words = List.of(cmd.split("\\s+"));
    switch (words.get(0)) {
      case "help" -> console.println(HELP);
      case "time" -> console.println(Units.time(session.now()));
      case "advance" -> {
        if (words.size() != 2) {
          throw new IllegalArgumentException("advance takes one duration, e.g. advance 500ms");
        }
        session.advanceTo(advanceTarget(words.get(1)));
      }
      case "ihkconfig", "ihkosctl" ->
          run(new Operator.Job(cmd, List.of(Operator.Step.command(cmd)), false));
      case "mcreboot.sh" -> run(mcreboot(words));
      case "mcstop+release.sh" -> run(Operator.mcstopRelease());
      case "inject" -> {
        if (words.size() != 4 || !words.get(1).equals("boot-failure")) {
          throw new IllegalArgumentException("write: inject boot-failure OS CPU_INDEX");
        }
        run(new Operator.Job(cmd, List.of(new Operator.Step(Operator.Kind.INJECT_BOOT_FAILURE,
            integer(words.get(2)) + " " + integer(words.get(3)), "")), false));
      }
      default -> throw new IllegalArgumentException("unknown command '" + words.get(0)
          + "'; 'help' lists the commands");
    }
  }

  /** The time {@code advance TEXT} reaches, refused past {@link #MAX_TIME_NS} (never wrapped). */
  private long advanceTarget(String text) {
    long ns = ScenarioLoader.parseDurationNs(text);
    long now = session.now();
    if (ns > MAX_TIME_NS - now) {
      throw new IllegalArgumentException("advance " + text + ": the shell's virtual time goes up to 36500d ("
          + MAX_TIME_NS + "ns) and is now " + now + "ns; advance at most " + Math.max(0, MAX_TIME_NS - now) + "ns");
    }
    return now + ns;
  }

  private Operator.Job mcreboot(List<String> words) {
    String cpus = null;
    String mem = null;
    String ikcMap = "";
    String kargs = "hidos";
    for (int i = 1; i < words.size(); i++) {
      String flag = words.get(i);
      if (i + 1 >= words.size()) {
        throw new IllegalArgumentException("mcreboot.sh: " + flag + " needs a value");
      }
      String value = words.get(++i);
      switch (flag) {
        case "-c" -> cpus = value;
        case "-m" -> mem = value;
        case "-r" -> ikcMap = value;
        case "-k" -> kargs = value.replace("\"", "");
        default -> throw new IllegalArgumentException("mcreboot.sh: unknown option " + flag
            + "; use -c CPUS -m MEM [-r IKC_MAP] [-k KARGS]");
      }
    }
    if (cpus == null || mem == null) {
      throw new IllegalArgumentException("mcreboot.sh needs -c CPUS and -m MEM, e.g."
          + " mcreboot.sh -c 4-7 -m 2G@0");
    }
    return Operator.mcreboot(cpus, mem, ikcMap, "mckernel.img", kargs);
  }

  /** Hands a job to node 0's operator and advances virtual time until the operator is done. */
  private void run(Operator.Job job) {
    Operator op = model.operator(0);
    int failedBefore = op.failedJobs();
    session.inject(model.operatorEntity(0), 0, job);
    long start = session.now();
    session.advanceTo(start);
    while (!op.idle()) {
      long next = session.nextEventTime();
      if (next == Long.MAX_VALUE || next - start > COMMAND_LIMIT_NS) {
        console.println("error: '" + job.name() + "' did not finish within " + Units.time(COMMAND_LIMIT_NS)
            + " of virtual time");
        failures++;
        break;
      }
      session.advanceTo(next);
    }
    for (Operator.ConsoleLine l : op.drainConsole()) {
      console.println(l.text());
    }
    if (op.failedJobs() > failedBefore) {
      failures++;
    }
  }

  private static int integer(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a number");
    }
  }

  /**
   * The next line without its line break, or null at the end of the input. Of a line longer than
   * {@link #MAX_LINE}, only the first {@code MAX_LINE + 1} characters are kept (the rest is read and
   * dropped), so one endless line cannot fill the memory.
   */
  static String readLine(BufferedReader in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c = in.read();
    if (c < 0) {
      return null;
    }
    while (c >= 0 && c != '\n') {
      if (sb.length() <= MAX_LINE) {
        sb.append((char) c);
      }
      c = in.read();
    }
    int end = sb.length();
    return end > 0 && sb.charAt(end - 1) == '\r' ? sb.substring(0, end - 1) : sb.toString();
  }

  private static String stripComment(String line) {
    int hash = line.indexOf('#');
    return hash < 0 ? line : line.substring(0, hash);
  }
}
