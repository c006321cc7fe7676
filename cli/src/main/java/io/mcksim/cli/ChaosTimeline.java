package io.mcksim.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chaos replay's per-node timeline, read from its event log as the log is written: the faults that
 * struck, the OS instances' state changes (as {@code ihkosctl get status} shows them), the recoveries
 * (reboots, restarts in place) and the job's launches and ends. Every other event is passed over; the
 * full log is in the replay's folder.
 */
final class ChaosTimeline implements Consumer<String> {

  /** One entry: when, on which node, fault/state/recovery/job, and what. */
  record Entry(long timeNs, int node, String category, String what) {}

  // "     40,000,000 ns  #1234   node 2 job manager <- itself: Strike[fault=Strike[kind=lwk-panic, ..."
  private static final Pattern LINE = Pattern.compile("^\\s*([0-9,]+) ns\\s+#\\d+\\s+(?:node (\\d+) )?(.*?) <- (.*?): (.*)$");
  private static final Pattern STRIKE = Pattern.compile("^Strike\\[fault=Strike\\[kind=([a-z-]+), cpu=(-?\\d+)");
  private static final Pattern STATUS = Pattern.compile("^StatusChanged\\[os=(\\d+), status=(\\w+), cause=(.*)\\]$");
  private static final Pattern CRASH = Pattern.compile("^Crash\\[durationNs=(\\d+)");
  private static final Pattern BOOT_FAILURE = Pattern.compile("^InjectBootFailure\\[id=\\d+, os=(\\d+), index=(\\d+)");
  private static final Pattern REBOOT = Pattern.compile("^(Reboot|RebootDue)\\[(.*)\\]$");
  private static final Pattern RESTART = Pattern.compile("^Envelope\\[signal=Restart\\[incarnation=(\\d+), cascade=false\\]");
  private static final Pattern EXEC = Pattern.compile("^Exec\\[pid=(\\d+)");
  private static final Pattern EXITED = Pattern.compile("^Exited\\[pid=(\\d+), status=(-?\\d+)\\]");

  private final List<Entry> entries = new ArrayList<>();

  @Override
  public void accept(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return;
    }
    long t = Long.parseLong(m.group(1).replace(",", ""));
    int node = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    String target = m.group(3);
    String payload = m.group(5);
    Matcher p;
    if ((p = STRIKE.matcher(payload)).find()) {
      add(t, node, "fault", p.group(1) + (p.group(2).equals("-1") ? "" : " on CPU " + p.group(2)) + " strikes");
    } else if ((p = CRASH.matcher(payload)).find()) {
      add(t, node, "fault", "the Linux service on " + target + " crashes for " + Units.time(Long.parseLong(p.group(1))));
    } else if ((p = BOOT_FAILURE.matcher(payload)).find()) {
      add(t, node, "fault", "boot-failure armed on os " + p.group(1) + ", CPU index " + p.group(2));
    } else if ((p = STATUS.matcher(payload)).find() && target.equals("job manager")) {
      add(t, node, "state", "os " + p.group(1) + " " + p.group(2) + (p.group(3).isBlank() ? "" : " (" + p.group(3).strip() + ")"));
    } else if ((p = REBOOT.matcher(payload)).find()) {
      add(t, node, "recovery", (p.group(1).equals("Reboot") ? "the job manager reboots the instance"
          : "IHK's master restarts the instance") + " [" + p.group(2) + "]");
    } else if ((p = RESTART.matcher(payload)).find() && target.startsWith("os-instance")) {
      add(t, node, "recovery", target + " restarted in place (incarnation " + p.group(1) + ")");
    } else if ((p = EXEC.matcher(payload)).find()) {
      add(t, node, "job", "the job's process " + p.group(1) + " is launched");
    } else if ((p = EXITED.matcher(payload)).find() && target.equals("job manager")) {
      add(t, node, "job", "the job's process " + p.group(1) + " exits with status " + p.group(2));
    }
  }

  private void add(long t, int node, String category, String what) {
    entries.add(new Entry(t, node, category, what));
  }

  /** Every entry, in the order the events ran (virtual time). */
  List<Entry> entries() {
    return entries;
  }
}
