package io.mcksim.mckernel.chaos;

import io.mcksim.config.ChaosSettings;
import io.mcksim.ikc.ChannelSpec;
import io.mcksim.ikc.ChannelStats;
import io.mcksim.ikc.FaultRule;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import java.util.ArrayList;
import java.util.List;

/**
 * The IKC channels of a chaos node, on the IKC layer the kernels use ({@link IkcSender},
 * {@link IkcReceiver}: rings with credits, FIFO delivery, sequence numbers, and the {@link FaultRule}
 * hooks that drop, delay, duplicate and clog packets). Each boot of the instance gets new channels:
 * for McKernel CPU c, ikc2linux (c to the Linux CPU) and ikc2mckernel (the Linux CPU to c), numbered
 * by generation so that a packet of a dead instance's channel is never taken for a new one's.
 *
 * <p>The chaos section's IKC faults become fault rules: a scheduled one fires once, on the first
 * packet at or after its time (if its channel is still the live one); an armed site strikes each packet
 * with its probability.
 */
final class ChaosIkc {

  private final ChaosMachine m;
  private final int capacity;
  /** Every sender this node ever had, for the accounting at the end. */
  final List<IkcSender> senders = new ArrayList<>();

  ChaosIkc(ChaosMachine m) {
    this.m = m;
    this.capacity = Math.max(4 * m.threads, 4 * 4096 / IkcPacket.SIZE);
  }

  int toLinux(long generation, int cpu) {
    return (int) (generation * 2 * m.threads + cpu);
  }

  int toMcKernel(long generation, int cpu) {
    return (int) (generation * 2 * m.threads + m.threads + cpu);
  }

  /** McKernel CPU {@code cpu}'s channel to Linux, written by that CPU (entity {@code self}). */
  IkcSender requestSender(int node, int cpu, long generation, long now, int self) {
    ChannelSpec spec = new ChannelSpec(toLinux(generation, cpu), "ikc2linux/0", ChannelSpec.Kind.IKC2LINUX,
        capacity, List.of(cpu), 0);
    return sender(spec, IkcSender.share(capacity, m.threads), node, cpu, now, self, m.linux(node));
  }

  /** The Linux CPU's channel to McKernel CPU {@code cpu}. */
  IkcSender replySender(int node, int cpu, long generation, long now, int self) {
    ChannelSpec spec = new ChannelSpec(toMcKernel(generation, cpu), "ikc2mckernel/" + cpu,
        ChannelSpec.Kind.IKC2MCKERNEL, capacity, List.of(0), cpu);
    return sender(spec, capacity, node, cpu, now, self, m.lwk(node, cpu));
  }

  IkcReceiver receiver(int channel, ChannelSpec.Kind kind) {
    return new IkcReceiver(new ChannelSpec(channel, kind.name().toLowerCase(java.util.Locale.ROOT), kind, capacity,
        List.of(), 0), m.scenario.ikc());
  }

  private IkcSender sender(ChannelSpec spec, int share, int node, int cpu, long now, int self, int reader) {
    List<FaultRule> rules = new ArrayList<>();
    for (Msg.Strike s : m.strikes(node)) {
      if (s.atNs() < now || !s.kind().startsWith("ikc-") || (s.cpu() >= 0 && s.cpu() != cpu)
          || spec.kind() != ChannelSpec.Kind.IKC2LINUX) {
        continue; // scheduled IKC faults strike the McKernel CPUs' channels to Linux
      }
      rules.add(switch (s.kind()) {
        case "ikc-drop" -> FaultRule.at(FaultRule.Fault.DROP, spec.id(), null, s.atNs(), 0);
        case "ikc-delay" -> FaultRule.at(FaultRule.Fault.DELAY, spec.id(), null, s.atNs(), s.durationNs());
        case "ikc-duplicate" -> FaultRule.at(FaultRule.Fault.DUPLICATE, spec.id(), null, s.atNs(), 0);
        default -> FaultRule.clog(spec.id(), s.atNs(), Math.max(1, s.durationNs()));
      });
    }
    ChaosSettings.Site drop = site("ikc-drop");
    if (drop != null) {
      rules.add(FaultRule.withProbability(FaultRule.Fault.DROP, -1, null, drop.fire(), 0));
    }
    ChaosSettings.Site delay = site("ikc-delay");
    if (delay != null) {
      rules.add(FaultRule.withProbability(FaultRule.Fault.DELAY, -1, null, delay.fire(), delay.durationNs()));
    }
    ChaosSettings.Site dup = site("ikc-duplicate");
    if (dup != null) {
      rules.add(FaultRule.withProbability(FaultRule.Fault.DUPLICATE, -1, null, dup.fire(), 0));
    }
    ChaosSettings.Site clog = site("ikc-clog");
    if (clog != null) {
      rules.add(new FaultRule(FaultRule.Fault.CLOG, -1, null, clog.fire(), 0, Math.max(1, clog.durationNs()), 0));
    }
    IkcSender sender = new IkcSender(spec, share, self, reader, m.scenario.ikc(), rules, m.seed());
    senders.add(sender);
    return sender;
  }

  /** The site of {@code kind} if this run armed it. */
  private ChaosSettings.Site site(String kind) {
    return m.armed(kind) ? m.chaos.sites().get(kind) : null;
  }

  /** All senders' statistics together. */
  ChannelStats sent() {
    ChannelStats sum = new ChannelStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    for (IkcSender s : senders) {
      sum = IkcReceiver.combine(sum, s.stats());
    }
    return sum;
  }
}
