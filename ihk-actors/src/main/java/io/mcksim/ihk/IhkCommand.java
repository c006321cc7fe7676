package io.mcksim.ihk;

import io.mcksim.config.CpuList;
import io.mcksim.config.MemorySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One management command in the real tools' syntax: {@code ihkconfig 0 reserve cpu 4-7},
 * {@code ihkosctl 0 kargs "hidos"}, and so on. {@link #parse} turns a command line into a command;
 * {@link IhkMaster} carries it out.
 *
 * @param tool   {@code ihkconfig} or {@code ihkosctl}
 * @param target the device number ({@code /dev/mcd0}) for ihkconfig, the OS number for ihkosctl
 * @param verb   the verb and its object, e.g. {@code reserve cpu}, {@code get status}
 * @param arg    the verb's argument, or empty
 * @param line   the command line as given
 */
public record IhkCommand(String tool, int target, String verb, String arg, String line)
    implements IhkMessage {

  private static final List<String> CONFIG_VERBS = List.of("reserve cpu", "reserve mem", "release cpu",
      "release mem", "query cpu", "query mem", "create", "destroy", "get os_instances");
  private static final List<String> OSCTL_VERBS = List.of("assign cpu", "assign mem", "release cpu",
      "release mem", "query cpu", "query mem", "query", "load", "kargs", "boot", "shutdown", "get status",
      "status", "kmsg", "clear_kmsg", "set ikc_map", "get ikc_map", "freeze", "thaw", "dump");

  /**
   * Parses a command line.
   *
   * @throws IhkException EINVAL with the usage when the line is not a command the tools know
   */
  public static IhkCommand parse(String line) {
    List<String> words = split(line);
    if (words.size() < 3 || !(words.get(0).equals("ihkconfig") || words.get(0).equals("ihkosctl"))) {
      throw usage(line);
    }
    String tool = words.get(0);
    int target;
    try {
      target = Integer.parseInt(words.get(1));
    } catch (NumberFormatException e) {
      throw new IhkException(Errno.EINVAL, tool + ": '" + words.get(1) + "' is not a "
          + (tool.equals("ihkconfig") ? "device" : "OS") + " number");
    }
    List<String> verbs = tool.equals("ihkconfig") ? CONFIG_VERBS : OSCTL_VERBS;
    String two = words.size() >= 4 ? words.get(2) + " " + words.get(3) : "";
    String verb;
    int argFrom;
    if (verbs.contains(two)) {
      verb = two;
      argFrom = 4;
    } else if (verbs.contains(words.get(2))) {
      verb = words.get(2);
      argFrom = 3;
    } else {
      throw new IhkException(Errno.EINVAL, tool + ": unknown verb '" + String.join(" ",
          words.subList(2, Math.min(words.size(), 4))) + "'; " + tool + " knows: "
          + String.join(", ", verbs));
    }
    String arg = String.join(" ", words.subList(argFrom, words.size()));
    IhkCommand c = new IhkCommand(tool, target, verb, arg, line.trim());
    c.validateArgument();
    return c;
  }

  /** Checks the argument's syntax, so a malformed command fails before it reaches the node. */
  private void validateArgument() {
    if (target < 0) {
      throw new IhkException(Errno.EINVAL, tool + ": " + (tool.equals("ihkconfig") ? "device" : "OS")
          + " numbers are not negative, got " + target);
    }
    switch (verb) {
      case "reserve cpu", "release cpu", "assign cpu" -> {
        requireArgument("a CPU list such as 4-7");
        cpus();
      }
      case "reserve mem", "release mem", "assign mem" -> {
        requireArgument("a memory request such as 2G@0, or all");
        memory();
      }
      case "destroy" -> {
        requireArgument("an OS number");
        osArgument();
      }
      case "load" -> requireArgument("an image file such as mckernel.img");
      case "kargs" -> requireArgument("kernel arguments such as \"hidos\"");
      case "set ikc_map" -> requireArgument("a map such as 4-35:0+36-67:1");
      case "dump" -> { }
      default -> {
        if (!arg.isEmpty()) {
          throw new IhkException(Errno.EINVAL, tool + " " + verb + " takes no argument, got '" + arg + "'");
        }
      }
    }
  }

  private void requireArgument(String what) {
    if (arg.isEmpty()) {
      throw new IhkException(Errno.EINVAL, tool + " " + target + " " + verb + ": missing argument; give "
          + what);
    }
  }

  /** The CPU list argument. */
  public CpuList cpus() {
    try {
      return CpuList.parse(arg);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IhkException(Errno.EINVAL, tool + " " + verb + ": " + e.getMessage());
    }
  }

  /** The CPUs in the order written (McKernel numbers assigned CPUs in that order). */
  public List<Integer> cpuOrder() {
    List<Integer> order = new ArrayList<>();
    for (String part : arg.split(",")) {
      CpuList p = CpuList.parse(part);
      for (int i = 0; i < p.size(); i++) {
        if (!order.contains(p.get(i))) {
          order.add(p.get(i));
        }
      }
    }
    return order;
  }

  /** The memory argument. */
  public MemorySpec memory() {
    try {
      return MemorySpec.parse(arg);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IhkException(Errno.EINVAL, tool + " " + verb + ": " + e.getMessage());
    }
  }

  /** The OS number argument of {@code ihkconfig N destroy OS}. */
  public int osArgument() {
    try {
      return Integer.parseInt(arg.trim());
    } catch (NumberFormatException e) {
      throw new IhkException(Errno.EINVAL, "ihkconfig destroy: '" + arg + "' is not an OS number");
    }
  }

  /** The argument with surrounding quotes removed (kargs, load). */
  public String text() {
    String a = arg.trim();
    if (a.length() >= 2 && (a.startsWith("\"") && a.endsWith("\"")
        || a.startsWith("'") && a.endsWith("'"))) {
      return a.substring(1, a.length() - 1);
    }
    return a;
  }

  private static IhkException usage(String line) {
    return new IhkException(Errno.EINVAL, "'" + line.trim() + "' is not an IHK command; write e.g."
        + " ihkconfig 0 reserve cpu 4-7 or ihkosctl 0 get status");
  }

  /** Splits on blanks, keeping a quoted argument ("hidos dump_level=24") in one piece. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (char ch : line.trim().toCharArray()) {
      if (quote != 0) {
        cur.append(ch);
        if (ch == quote) {
          quote = 0;
        }
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
        cur.append(ch);
      } else if (Character.isWhitespace(ch)) {
        if (cur.length() > 0) {
          words.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(ch);
      }
    }
    if (cur.length() > 0) {
      words.add(cur.toString());
    }
    return words;
  }
}
