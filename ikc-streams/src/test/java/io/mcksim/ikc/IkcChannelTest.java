package io.mcksim.ikc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.IkcCostSettings;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IKC ring model in virtual time: order, backpressure, the stall it causes, faults and metrics. */
class IkcChannelTest {

  private static final IkcCostSettings COSTS = new IkcCostSettings(1_000, 50, 200);
  private static final long END = Long.MAX_VALUE / 4;

  private static ChannelStats stats(IkcFlood m, int pair) {
    return m.stats(pair);
  }

  @Test
  void packetsArriveInOrderAndCompleteUnderLoad() {
    IkcFlood m = new IkcFlood(1, 1, 64, COSTS, 50_000, 10, 20, false, List.of(), 1);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(m.handled(0)).isEqualTo(50_000);
    assertThat(m.handledArgs(0)).containsExactlyElementsOf(
        LongStream.range(0, 50_000).boxed().toList());
    ChannelStats s = stats(m, 0);
    assertThat(s.packets()).isEqualTo(50_000);
    assertThat(s.bytes()).isEqualTo(50_000L * IkcPacket.SIZE);
    assertThat(s.gaps()).isZero();
    assertThat(s.duplicates()).isZero();
    assertThat(s.peakOccupancy()).isEqualTo(64);
    assertThat(s.ipis()).isEqualTo(50_000);
  }

  /**
   * A writer that produces packet k at k*s into a ring of C slots, read by a reader that takes I + r
   * per packet (interrupt plus service), with latency L and credit visibility K. With t_k the time
   * packet k is written, a_k its arrival, f_k the end of its handling and c_k = f_k + K the moment the
   * writer sees its slot free again:
   *
   * <pre>
   *   t_k = k*s                            for k &lt; C
   *   t_k = max(k*s, c_(k-C), t_(k-1))     for k &gt;= C   (the writer needs the slot of packet k-C)
   *   a_k = t_k + L
   *   f_k = max(a_k, f_(k-1)) + I + r
   *   stall = sum over k of (t_k - k*s)
   * </pre>
   */
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 4, 16, 64})
  void aFullRingStallsTheWriterExactlyAsTheClosedFormPredicts(int capacity) {
    long n = 2_000;
    long s = 100;
    long r = 300;
    IkcFlood m = new IkcFlood(1, 1, capacity, COSTS, n, s, r, false, List.of(), 1);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    long[] t = new long[(int) n];
    long[] f = new long[(int) n];
    long stall = 0;
    long maxStall = 0;
    for (int k = 0; k < n; k++) {
      t[k] = k * s;
      if (k >= capacity) {
        t[k] = Math.max(Math.max(t[k], f[k - capacity] + COSTS.credit()), t[k - 1]);
      }
      long a = t[k] + COSTS.latency();
      f[k] = Math.max(a, k == 0 ? 0 : f[k - 1]) + COSTS.ipi() + r;
      stall += t[k] - k * s;
      maxStall = Math.max(maxStall, t[k] - k * s);
    }
    ChannelStats st = stats(m, 0);
    assertThat(st.stallNs()).as("capacity %d", capacity).isEqualTo(stall).isPositive();
    assertThat(st.maxStallNs()).isEqualTo(maxStall);
    assertThat(m.lastDone(0)).isEqualTo(f[(int) n - 1]);
  }

  @Test
  void aSharedRingKeepsEachWritersSequenceApart() {
    // a Linux CPU's ring takes packets from every McKernel CPU: 48 writers, each numbering its own
    IkcReceiver r = new IkcReceiver(new ChannelSpec(0, "shared", ChannelSpec.Kind.IKC2LINUX, 64, List.of(0), 0),
        COSTS);
    long accepted = 0;
    for (long seq = 0; seq < 3; seq++) {
      for (int writer = 100; writer < 148; writer++) {
        IkcPacket p = IkcPacket.of(PacketType.SYSCALL_ONESIDE, 1, 1, 0, 39, seq).on(0, seq);
        assertThat(r.onPacket(p, writer)).as("writer %d, packet %d", writer, seq)
            .isEqualTo(IkcReceiver.Verdict.ACCEPT);
        accepted++;
      }
    }
    // writer 147 sends its packet 1 again, writer 130 skips its packet 3
    assertThat(r.onPacket(IkcPacket.of(PacketType.SYSCALL_ONESIDE, 1, 1, 0, 39, 1).on(0, 1), 147))
        .isEqualTo(IkcReceiver.Verdict.DUPLICATE);
    assertThat(r.onPacket(IkcPacket.of(PacketType.SYSCALL_ONESIDE, 1, 1, 0, 39, 4).on(0, 4), 130))
        .isEqualTo(IkcReceiver.Verdict.ACCEPT);
    assertThat(r.onPacket(IkcPacket.of(PacketType.SYSCALL_ONESIDE, 1, 1, 0, 39, 3).on(0, 3), 129))
        .isEqualTo(IkcReceiver.Verdict.ACCEPT);
    assertThat(r.stats().duplicates()).isEqualTo(1);
    assertThat(r.stats().gaps()).isEqualTo(1);
    assertThat(accepted).isEqualTo(144);
  }

  @Test
  void aReaderFasterThanTheWriterNeverStallsIt() {
    IkcFlood m = new IkcFlood(1, 1, 4, COSTS, 10_000, 1_000, 100, false, List.of(), 1);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(stats(m, 0).stallNs()).isZero();
  }

  @Test
  void injectedDropsAndDuplicatesAreAllDetectedAndCounted() {
    List<FaultRule> faults = List.of(
        FaultRule.withProbability(FaultRule.Fault.DROP, -1, null, 0.01, 0),
        FaultRule.withProbability(FaultRule.Fault.DUPLICATE, 0, PacketType.SYSCALL_ONESIDE, 0.02, 0),
        FaultRule.withProbability(FaultRule.Fault.DELAY, -1, null, 0.05, 5_000));
    IkcFlood m = new IkcFlood(1, 1, 64, COSTS, 20_000, 100, 50, false, faults, 7);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    ChannelStats s = stats(m, 0);
    assertThat(s.dropped()).isPositive();
    assertThat(s.duplicated()).isPositive();
    assertThat(s.delayed()).isPositive();
    // every drop shows up as a gap, every duplicate as a discarded duplicate: none silently
    assertThat(s.gaps()).isEqualTo(s.dropped());
    assertThat(s.duplicates()).isEqualTo(s.duplicated());
    assertThat(m.handled(0) + s.dropped()).isEqualTo(20_000);
  }

  @Test
  void aDelayedPacketHoldsBackThoseBehindItAsInAFifoRing() {
    long hold = 50_000;
    List<FaultRule> faults = List.of(FaultRule.at(FaultRule.Fault.DELAY, 0, null, 1_000, hold));
    IkcFlood m = new IkcFlood(1, 1, 64, COSTS, 100, 100, 10, false, faults, 1);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    ChannelStats s = stats(m, 0);
    assertThat(s.delayed()).isEqualTo(1);
    assertThat(s.gaps() + s.duplicates()).isZero();
    assertThat(m.handledArgs(0)).containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
    // packet 10 (written at 1000 ns) arrives at 1000 + latency + hold; the last one cannot come sooner
    assertThat(m.lastDone(0)).isGreaterThanOrEqualTo(1_000 + COSTS.latency() + hold);
  }

  @Test
  void aClogHoldsBackEverythingSentDuringItUntilItEnds() {
    long clogAt = 10_000;
    long clogFor = 100_000;
    IkcFlood m = new IkcFlood(1, 1, 64, COSTS, 200, 1_000, 10, false,
        List.of(FaultRule.clog(0, clogAt, clogFor)), 1);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    ChannelStats s = stats(m, 0);
    assertThat(s.clogged()).isEqualTo(64); // the ring fills during the clog; the rest wait for slots
    assertThat(m.handled(0)).isEqualTo(200);
    assertThat(m.handledArgs(0)).containsExactlyElementsOf(LongStream.range(0, 200).boxed().toList());
    assertThat(s.stallNs()).isPositive();
  }

  @Test
  void aClogWithAProbabilityStartsWhereItStrikesAndHoldsWhatFollows() {
    long clogFor = 30_000;
    IkcFlood m = new IkcFlood(1, 1, 64, COSTS, 2_000, 100, 10, false,
        List.of(new FaultRule(FaultRule.Fault.CLOG, -1, null, 0.01, 0, clogFor, 0)), 5);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    ChannelStats s = stats(m, 0);
    assertThat(s.clogged()).isPositive();
    assertThat(m.handled(0)).isEqualTo(2_000);
    assertThat(m.handledArgs(0)).containsExactlyElementsOf(LongStream.range(0, 2_000).boxed().toList());
    // each clog holds the channel for its duration: the flood takes at least that much longer
    IkcFlood clear = new IkcFlood(1, 1, 64, COSTS, 2_000, 100, 10, false, List.of(), 5);
    new SequentialEngine().run(clear, RunSpec.until(END, 1));
    assertThat(m.lastDone(0)).isGreaterThanOrEqualTo(clear.lastDone(0) + clogFor);
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 4})
  void resultsAreIdenticalAcrossThreadCounts(int threads) {
    List<FaultRule> faults = List.of(
        FaultRule.withProbability(FaultRule.Fault.DROP, -1, null, 0.01, 0),
        FaultRule.withProbability(FaultRule.Fault.DUPLICATE, -1, null, 0.01, 0));
    IkcFlood seq = new IkcFlood(16, 4, 16, COSTS, 1_000, 100, 250, false, faults, 3);
    RunResult a = new SequentialEngine().run(seq, RunSpec.until(END, 1));
    IkcFlood act = new IkcFlood(16, 4, 16, COSTS, 1_000, 100, 250, false, faults, 3);
    RunResult b = new ActorEngine().run(act, RunSpec.until(END, threads));
    assertThat(b.digest()).isEqualTo(a.digest());
    assertThat(b.events()).isEqualTo(a.events()).isGreaterThan(16 * 3 * 900);
    for (int p = 0; p < 16; p++) {
      assertThat(stats(act, p)).as("pair %d", p).isEqualTo(stats(seq, p));
    }
  }

  @Test
  void aFloodOfTenMillionPacketsThroughSixtyFourSlotsStaysBounded() {
    long n = 10_000_000;
    IkcFlood m = new IkcFlood(1, 1, 64, COSTS, n, 10, 40, true, List.of(), 1);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(m.handled(0)).isEqualTo(n);
    ChannelStats s = stats(m, 0);
    assertThat(s.peakOccupancy()).isLessThanOrEqualTo(64);
    // a blocked writer produces nothing more: at most one packet ever waits for a slot
    assertThat(m.maxWaiting(0)).isLessThanOrEqualTo(1);
    assertThat(s.gaps() + s.duplicates()).isZero();
  }

  @Test
  void theActorEngineCarriesAFloodThroughItsStreamWithTheSameResult() {
    // packets cross the node's IKC transport, a lane per channel
    IkcFlood seq = new IkcFlood(4, 2, 64, COSTS, 50_000, 40);
    RunResult a = new SequentialEngine().run(seq, RunSpec.until(END, 1));
    IkcFlood act = new IkcFlood(4, 2, 64, COSTS, 50_000, 40);
    RunResult b = new ActorEngine().run(act, RunSpec.until(END, 2));
    assertThat(act.handled()).isEqualTo(200_000);
    assertThat(b.digest()).isEqualTo(a.digest());
    for (int c = 0; c < 4; c++) {
      assertThat(act.stats(c)).isEqualTo(seq.stats(c));
      assertThat(act.stats(c).peakOccupancy()).isLessThanOrEqualTo(64);
    }
  }
}
