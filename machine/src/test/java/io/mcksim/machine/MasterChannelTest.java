package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.Scenario;
import io.mcksim.ikc.ChannelStats;
import io.mcksim.ikc.PacketType;
import org.junit.jupiter.api.Test;

/**
 * The instance's master channel carries what IHK's carries: as IHK brings each McKernel CPU up, the CPU
 * connects its channel from Linux (port 501) and, the first CPU mapped to each Linux CPU, its channel to
 * that Linux CPU (port 503): a CONNECT to mcctrl, a CONNECT_REPLY back to CPU 0 (IHK's {@code
 * ikc/master.c}, McKernel's {@code kernel/host.c}). The packets travel through the ring model and, on
 * the actor engine, the IKC transport; every engine gives one digest, and the boot takes as long as
 * {@code boot-per-cpu} says.
 */
class MasterChannelTest {

  private static final long END = Long.MAX_VALUE / 4;

  @Test
  void everyCpuConnectsItsChannelsOverTheMasterChannelOnEveryEngine() {
    // 4 McKernel CPUs, two of them mapped to Linux CPU 1 and two to Linux CPU 2
    Scenario s = NodeBootTest.scenario("simulate",
        "partition.instances=[{cpus = \"4-7\", memory = \"1G@0\", ikc-map = \"4-5:1+6-7:2\"}]");
    String digest = null;
    for (String engine : new String[] {"sequential", "actors"}) {
      HybridModel m = NodeBootTest.node(s);
      RunResult r = Engine.named(engine).run(m, RunSpec.until(END, 2));
      digest = digest == null ? r.digest() : digest;
      assertThat(r.digest()).as(engine).isEqualTo(digest);
      // 4 connects of the channels from Linux, 2 of the channels to Linux CPUs 1 and 2
      assertThat(m.mcctrl().masterPacketsRead(PacketType.CONNECT)).as(engine).isEqualTo(6);
      assertThat(m.cpu(0).masterPacketsRead(PacketType.CONNECT_REPLY)).as(engine).isEqualTo(6);
      for (int cpu = 1; cpu < 4; cpu++) {
        assertThat(m.cpu(cpu).masterPacketsRead(PacketType.CONNECT_REPLY)).isZero();
      }
      ChannelStats toLinux = m.mcctrl().receiver(0).stats();
      assertThat(toLinux.ipis()).isEqualTo(6);
      assertThat(toLinux.gaps() + toLinux.duplicates()).isZero();
      // the handshakes fit in boot-per-cpu: the boot takes what a node booted alone takes
      assertThat(m.bootNs()).isEqualTo(IhkNodes.bootAloneNs(s) + s.lifecycle().message());
      if (engine.equals("actors")) {
        // both directions of the master channel had a lane in the node's IKC transport
        assertThat(m.streamTransport().channelsOpened()).isGreaterThanOrEqualTo(2);
      }
    }
  }
}
