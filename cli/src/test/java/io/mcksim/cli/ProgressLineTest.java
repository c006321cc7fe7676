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
  void estimatesFromThePaceSinceTheFirstLineNotTheSlowStart() {
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

  /**
   * A pace that comes in bursts (a BSP machine: a microsecond of compute in a few events, then offloads and a
   * collective over a little virtual time) gives a steady estimate, at a terminal's redraws and at plain lines
   * alike: the pace since the first line, not that of the last burst.
   */
  @Test
  void aPaceInBurstsGivesASteadyEstimate() {
    for (boolean terminal : new boolean[] {true, false}) {
      bytes.reset();
      now = 0;
      long end = 1_000_000_000_000L;
      ProgressLine p = line(end, terminal);
      long step = terminal ? 250_000_000L : 10_000_000_000L;
      long v = 0;
      now = step;
      p.reached(v, 1); // the first line: the start ends here
      for (int burst = 0; burst < 12; burst++) {
        for (long t = step; t <= 20_000_000_000L; t += step) { // 20 s at 1.9 ms a second, then 20 s at 0.1 ms
          now += step;
          v += burst % 2 == 0 ? step * 19 / 10_000 : step / 10_000;
          p.reached(v, 1);
        }
        // after each whole fast-and-slow pair: 1 ms a second on average, however the lines fell
        if (burst % 2 == 1) {
          String out = printed();
          double rate = v / ((now - step) / 1e9);
          assertThat(rate).as("the pace the test drives").isCloseTo(1e6, org.assertj.core.data.Offset.offset(1.0));
          assertThat(out.substring(out.lastIndexOf("about "))).as(terminal ? "terminal" : "plain")
              .startsWith("about " + ProgressLine.wall((end - v) / rate) + " left");
        }
      }
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
