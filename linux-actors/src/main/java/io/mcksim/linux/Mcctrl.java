package io.mcksim.linux;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.IkcCostSettings;
import io.mcksim.config.OffloadCosts;
import io.mcksim.ikc.ChannelSpec;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.PacketType;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * {@code mcctrl}, the Linux kernel module on the IKC side of an OS instance: it reads the
 * McKernel-to-Linux channels. Its interrupt handler runs on the channel's Linux CPU and handles one
 * packet at a time: the interrupt ({@code costs.ikc.ipi}), then the dispatch
 * ({@code costs.offload.mcctrl-dispatch}) that finds the process and hands the request to its proxy.
 * A packet that arrives while the handler is busy waits in the ring until the handler reads it; the
 * slot is freed when it is read.
 */
public final class Mcctrl implements SimEntity {

  private record Read(int channel, int writer) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ((long) channel << 32) ^ writer;
    }
  }

  private final IkcReceiver[] receivers;
  private final IkcCostSettings ikc;
  private final OffloadCosts offload;
  private final IntUnaryOperator proxyOfPid;
  private final IntUnaryOperator cpuEntityOfIndex;
  private long handlerFreeAt;
  private long handled;
  private long handlerWaitNs;

  /**
   * @param channels         the instance's McKernel-to-Linux channels this mcctrl reads, by id
   * @param proxyOfPid       the proxy entity of a process
   * @param cpuEntityOfIndex the entity of McKernel CPU {@code i}
   */
  public Mcctrl(List<ChannelSpec> channels, IkcCostSettings ikc, OffloadCosts offload,
      IntUnaryOperator proxyOfPid, IntUnaryOperator cpuEntityOfIndex) {
    int max = 0;
    for (ChannelSpec c : channels) {
      max = Math.max(max, c.id() + 1);
    }
    this.receivers = new IkcReceiver[max];
    for (ChannelSpec c : channels) {
      receivers[c.id()] = new IkcReceiver(c, ikc);
    }
    this.ikc = ikc;
    this.offload = offload;
    this.proxyOfPid = proxyOfPid;
    this.cpuEntityOfIndex = cpuEntityOfIndex;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof IkcPacket p) {
      IkcReceiver receiver = receivers[p.channel()];
      if (receiver.onPacket(p, source) == IkcReceiver.Verdict.DUPLICATE) {
        return;
      }
      long start = Math.max(ctx.now(), handlerFreeAt);
      handlerWaitNs += start - ctx.now();
      handlerFreeAt = start + ikc.ipi() + offload.mcctrlDispatch();
      handled++;
      if (start == ctx.now()) {
        receiver.consumed(ctx, source);
      } else {
        ctx.send(ctx.self(), start - ctx.now(), 0, new Read(p.channel(), source));
      }
      if (p.type() != PacketType.SYSCALL_ONESIDE) {
        throw new IllegalArgumentException("mcctrl does not handle " + p.type() + " packets yet");
      }
      ctx.send(proxyOfPid.applyAsInt(p.pid()), handlerFreeAt - ctx.now(), 0,
          new Offload.Dispatch(p, cpuEntityOfIndex.applyAsInt(p.cpu())));
    } else if (payload instanceof Read r) {
      receivers[r.channel()].consumed(ctx, r.writer());
    } else {
      throw new IllegalArgumentException("mcctrl got an unknown message " + payload);
    }
  }

  /** Packets handled so far. */
  public long handled() {
    return handled;
  }

  /** Time packets waited in the ring for the busy interrupt handler, summed. */
  public long handlerWaitNs() {
    return handlerWaitNs;
  }

  public IkcReceiver receiver(int channel) {
    return receivers[channel];
  }
}
