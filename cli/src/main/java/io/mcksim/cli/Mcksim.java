package io.mcksim.cli;

import io.mcksim.config.ScenarioException;
import java.util.List;
import org.slf4j.LoggerFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code mcksim} command. */
@Command(name = "mcksim", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
    description = "IHK/McKernel hybrid HPC OS modelled as Pekko actors in deterministic virtual time.")
public final class Mcksim {

  /** mcksim's commands, in the order its help lists them. */
  private static final List<Class<?>> COMMANDS = List.of(RunCommand.class, WorkerCommand.class,
      ChaosCommand.class, TraceCommand.class, CalibrateCommand.class, CompareOsCommand.class,
      ConfigCommand.class, ShellCommand.class, BenchCommand.class, CommandLine.HelpCommand.class,
      AutoComplete.GenerateCompletion.class);

  /** Exit code for a rejected scenario or bad option. */
  static final int BAD_INPUT = 2;
  /** Exit code for a run that failed (a model bug, a liveness guard). */
  static final int RUN_FAILED = 1;

  public static void main(String[] args) {
    // initialise logging on this thread before actor systems log from theirs
    LoggerFactory.getILoggerFactory();
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    commandStarted = System.nanoTime();
    CommandLine cli = commandLine(args.length > 0 ? args[0] : "");
    cli.setParameterExceptionHandler(Mcksim::badOption);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ScenarioException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("mcksim: " + e.getMessage());
        return BAD_INPUT;
      }
      // a model bug, a liveness guard, a report that could not be written: the run failed, and any
      // earlier report is as it was
      cmd.getErr().println("mcksim: run failed: " + describe(e));
      return RUN_FAILED;
    });
    try {
      return cli.execute(args);
    } catch (StackOverflowError | OutOfMemoryError e) {
      // past every bound mcksim checks: say so in one line, and leave any earlier report as it was
      cli.getErr().println("mcksim: run failed: " + describe(e) + "; the input is beyond what this JVM can "
          + "hold (give it more with MCKSIM_JAVA_OPTS, e.g. -Xmx or -Xss), or this is a bug: please report it "
          + "with the command line");
      return RUN_FAILED;
    }
  }

  /** The whole command line: every command, described ({@link #describe}). */
  static CommandLine commandLine() {
    return commandLine("");
  }

  /**
   * The command line for arguments that begin with {@code first}: when it names a command (not help,
   * nor the completion script's generator, which need them all), that command alone. Picocli reads a
   * command's options from its annotations when the command is added, which for all of mcksim's
   * commands and their subcommands took 0.3 s of a fresh JVM. A command line names its
   * command first, so the others are not needed; anything else (a top-level option, a mistyped name,
   * which gets the nearest names) gets them all.
   */
  static CommandLine commandLine(String first) {
    Class<?> only = null;
    for (Class<?> c : COMMANDS) {
      Command a = c.getAnnotation(Command.class);
      if (a.name().equals(first) || List.of(a.aliases()).contains(first)) {
        only = c;
      }
    }
    if (only == CommandLine.HelpCommand.class || only == AutoComplete.GenerateCompletion.class) {
      only = null;
    }
    CommandLine cli = new CommandLine(new Mcksim());
    for (Class<?> c : COMMANDS) {
      if (only == null || c == only) {
        cli.addSubcommand(c);
      }
    }
    describe(cli);
    return cli;
  }

  /** When the current command started ({@link System#nanoTime}): a report's wall time counts from it. */
  private static volatile long commandStarted = System.nanoTime();

  static long commandStarted() {
    return commandStarted;
  }

  /** A throwable's message, or its kind when it has none. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /**
   * A command line picocli cannot read (an unknown option or command, a missing or malformed value):
   * one line that names it, with a near match when there is one and where the usage is, exit 2.
   */
  private static int badOption(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    String what = e.getMessage();
    List<String> near = List.of();
    if (e instanceof CommandLine.UnmatchedArgumentException u) {
      near = u.getSuggestions();
      if (!cmd.getSubcommands().isEmpty() && cmd.getCommandSpec().positionalParameters().isEmpty()
          && !u.getUnmatched().isEmpty()) {
        what = "unknown command '" + u.getUnmatched().get(0) + "'";
      }
    }
    cmd.getErr().println(name + ": " + what + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near)
        + "?") + " (see '" + name + " --help')");
    return BAD_INPUT;
  }

  /**
   * What every command's help and {@code --version} say that picocli cannot take from one annotation:
   * the build's version and commit, and the exit codes. A command whose status 1 means more than a
   * failed run says so in its own {@code exitCodeList}; 0 and 2 mean the same everywhere. The completion
   * script's generator is shown in the list of commands, not hidden.
   */
  static void describe(CommandLine cmd) {
    CommandSpec spec = cmd.getCommandSpec();
    spec.versionProvider(new BuildInfo());
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put("0", "success");
    codes.put("1", "the run failed (a model error, a liveness guard, a report that could not be written)");
    codes.put("2", "bad input: a scenario, program, trace or option that cannot be used (the message "
        + "names the place and the fix); nothing is written");
    codes.putAll(spec.usageMessage().exitCodeList());
    spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    if (spec.userObject() instanceof AutoComplete.GenerateCompletion) {
      spec.usageMessage().hidden(false).description("Print a bash/zsh completion script for mcksim: "
          + "source <(bin/mcksim generate-completion)");
    }
    for (CommandLine sub : cmd.getSubcommands().values()) {
      describe(sub);
    }
  }
}
