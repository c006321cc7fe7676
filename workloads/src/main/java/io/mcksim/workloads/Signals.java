package io.mcksim.workloads;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Linux's x86_64 signals by name and number, and what each does by default to a process that has not
 * changed its action: end it (term), end it with a core dump (core), or nothing (ignore). Stopping and
 * continuing a process are not modelled, so the stop signals are not listed.
 */
public final class Signals {

  /** A signal sent to a program's mcexec from Linux at virtual time {@code atNs} ({@code kill -SIG pid}). */
  public record Timed(long atNs, int signal) {
    /** Checks the time and the signal. */
    public Timed {
      if (atNs < 0) {
        throw new IllegalArgumentException("a signal's time must not be negative, got " + atNs + "ns");
      }
      name(signal);
    }
  }

  /** The signals by name, in number order (index + 1 is the number; null where a stop signal is). */
  private static final List<String> NAMES = java.util.Arrays.asList("SIGHUP", "SIGINT", "SIGQUIT", "SIGILL",
      "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE",
      "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", null, null, null, null, null, "SIGURG", "SIGXCPU",
      "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");

  /** Signals whose default action is to ignore them. */
  private static final Set<Integer> IGNORED = Set.of(17, 23, 28);

  /** Signals whose default action ends the process with a core dump. */
  private static final Set<Integer> CORE = Set.of(3, 4, 5, 6, 7, 8, 11, 24, 25, 31);

  /** SIGKILL, which no process can catch or ignore. */
  public static final int SIGKILL = 9;

  private Signals() {}

  /** The names a scenario may write (in any case), in number order. */
  public static List<String> names() {
    return NAMES.stream().filter(java.util.Objects::nonNull).toList();
  }

  /** The number of signal {@code name} (any case, with or without the SIG prefix). */
  public static int number(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    int i = NAMES.indexOf(upper.startsWith("SIG") ? upper : "SIG" + upper);
    if (i < 0) {
      throw new IllegalArgumentException("no signal " + name + "; signals: " + String.join(", ", names()));
    }
    return i + 1;
  }

  /** The name of signal {@code number}, e.g. SIGTERM. */
  public static String name(int number) {
    if (number < 1 || number > NAMES.size() || NAMES.get(number - 1) == null) {
      throw new IllegalArgumentException("no signal " + number + " (stop signals are not modelled)");
    }
    return NAMES.get(number - 1);
  }

  /** Whether signal {@code number} does nothing to a process that kept its default action. */
  public static boolean ignoredByDefault(int number) {
    return IGNORED.contains(number);
  }

  /** Whether signal {@code number}'s default action ends the process with a core dump. */
  public static boolean dumpsCore(int number) {
    return CORE.contains(number);
  }

  /** The exit status a shell shows for a process signal {@code number} ended: 128 + the signal. */
  public static int shellStatus(int number) {
    return 128 + number;
  }
}
