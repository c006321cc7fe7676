package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line, driven by a clock the test sets (no wall time). */
class ProgressLineTest {

  private long now;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private ProgressLine line(long endNs, boolean terminal) {
    return new ProgressLine(endNs, new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, () -> now);
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void estimatesFromTheRecentRateNotTheSlowStart() {
    ProgressLine p = line(10_000_000, true);
    now = 20_000_000_000L; // 20 s to reach 1 ms: a slow start, no sample of the rate
    p.reached(1_000_000, 1_000);
    assertThat(printed()).contains("virtual time 1.000 ms of 10.000 ms (10%)").doesNotContain("left");
    now += 1_000_000_000L; // then 1 ms per second
    p.reached(2_000_000, 2_000);
    now += 1_000_000_000L;
    p.reached(3_000_000, 3_000);

    String last = printed().substring(printed().lastIndexOf('\r'));
    assertThat(last).contains("virtual time 3.000 ms of 10.000 ms (30%)").contains("about 7 s left");
  }

  /** A change of pace shows within a few time constants, at a terminal's redraws and at plain lines alike. */
  @Test
  void theSmoothedRateFollowsAChangeOfPaceByWallTimeNotByLines() {
    for (boolean terminal : new boolean[] {true, false}) {
      bytes.reset();
      now = 0;
      ProgressLine p = line(1_000_000_000_000L, terminal);
      long step = terminal ? 250_000_000L : 10_000_000_000L;
      long v = 0;
      for (long t = step; t <= 60_000_000_000L; t += step) { // 1 ms per second for a minute
        now = t;
        v += step / 1_000;
        p.reached(v, 1);
      }
      for (long t = step; t <= 30_000_000_000L; t += step) { // then 10 ms per second for half a minute
        now += step;
        v += step / 100;
        p.reached(v, 1);
      }
      // however many lines: the old pace weighs e^-6 after 30 s, six time constants
      double rate = 1e7 - 9e6 * Math.exp(-30 / ProgressLine.SMOOTHING_S);
      String out = printed();
      assertThat(out.substring(out.lastIndexOf("about "))).as(terminal ? "terminal" : "plain")
          .startsWith("about " + ProgressLine.wall((1e12 - v) / rate) + " left");
    }
  }

  @Test
  void neverShowsMoreThanNinetyNinePercentAndSaysWhenTheRunPassesTheExpectedEnd() {
    ProgressLine p = line(10_000_000, true);
    now = 1_000_000_000L;
    p.reached(9_999_000, 10);
    now += 1_000_000_000L;
    p.reached(11_538_000, 20);

    assertThat(printed()).contains("(99%)").doesNotContain("(100%)")
        .contains("virtual time 11.538 ms (past the expected 10.000 ms)");
    String last = printed().substring(printed().lastIndexOf('\r'));
    assertThat(last).doesNotContain("left");
  }

  @Test
  void writesPlainLinesEveryTenSecondsWhenNotOnATerminal() {
    ProgressLine p = line(0, false);
    for (int i = 1; i <= 40; i++) {
      now = i * 1_000_000_000L;
      p.reached(i * 1_000L, i);
    }
    p.finish();

    assertThat(printed()).doesNotContain("\r");
    assertThat(printed().lines()).hasSize(4).allSatisfy(l -> assertThat(l).startsWith("mcksim: virtual time "));
  }

  @Test
  void clearsItsLineOnATerminalOnly() {
    ProgressLine p = line(0, true);
    now = 1_000_000_000L;
    p.reached(5, 5);
    p.finish();
    assertThat(printed()).endsWith("\r");
  }
}
