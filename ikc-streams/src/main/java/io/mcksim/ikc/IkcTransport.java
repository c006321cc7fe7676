package io.mcksim.ikc;

import io.mcksim.actors.engine.StreamChunk;
import io.mcksim.actors.engine.StreamTransport;
import io.mcksim.actors.engine.StreamedEvent;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * How IKC packets travel on the actor engine: a node's channels, every direction, as the substreams of
 * one Pekko Streams graph, keyed by channel. The ring model ({@link IkcSender}, {@link IkcReceiver}:
 * credits, capacity, sequence numbers, interrupts, faults) decides everything that happens in virtual
 * time; this graph is how its packets get from the actor that runs the writing side to the domain that
 * hands them to the reading side.
 *
 * <pre>
 *   entry queue (bounded) ─ groupBy(channel) ─┬─ check ─ buffer(channelBuffer) ─┬─ merge ─ domain
 *                                             └─ check ─ buffer(channelBuffer) ─┘
 * </pre>
 *
 * <p>A channel is the pair (reading entity, channel id): an {@link IkcSender} streams each packet with
 * its channel's id as the event's data word. What one writer wrote into one channel since its domain
 * last fed the stream travels as one {@link StreamChunk}, at most the writer's share of the ring. A
 * channel's substream is materialized by its first chunk, so an idle channel, and an idle node, costs
 * no stream. Every stage is bounded and the domain's taking paces them all: a full buffer holds its
 * writers back (when the entry queue refuses a chunk, the sending domain runs nothing more until the
 * stream has taken it).
 *
 * <p>Each substream checks every packet it carries: it belongs to its channel (the packet's channel
 * field is the channel it was written into), and the wire is FIFO (the events of one writer come out in
 * the order it sent them, by the engine's per-entity send sequence, which no fault, duplicate or restart
 * moves back). A packet that breaks either fails the stage with a {@link ChannelFailure} naming the
 * channel, which ends the run with the domain's virtual time and the seed.
 */
public final class IkcTransport implements StreamTransport {

  /**
   * Chunks a channel's substream buffers: as many as the master channel, McKernel's smallest ring, has
   * slots (a chunk holds at least one packet).
   */
  public static final int CHANNEL_BUFFER = 32;

  /** A channel's substream saw a packet it cannot carry. */
  public static final class ChannelFailure extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ChannelFailure(String message) {
      super(message);
    }
  }

  private final int channelBuffer;
  private final int entryBuffer;
  /** Channel substreams materialized so far, over every domain. */
  private final AtomicLong channelsOpened = new AtomicLong();
  /** Times the stream had no room for a domain's next packet, so that the domain waited. */
  private final AtomicLong pushBacks = new AtomicLong();

  /** The transport with {@link #CHANNEL_BUFFER} per channel and the engine's entry queue. */
  public IkcTransport() {
    this(CHANNEL_BUFFER, 0);
  }

  /**
   * @param channelBuffer chunks each channel's substream buffers, at least 1
   * @param entryBuffer   chunks the node's entry queue holds, or 0 for the engine's
   *                      {@code mcksim.actors.engine.stream-buffer}
   */
  public IkcTransport(int channelBuffer, int entryBuffer) {
    if (channelBuffer < 1 || entryBuffer < 0) {
      throw new IllegalArgumentException("IKC transport: a channel buffer of at least 1 and an entry"
          + " buffer of at least 0, got " + channelBuffer + " and " + entryBuffer);
    }
    this.channelBuffer = channelBuffer;
    this.entryBuffer = entryBuffer;
  }

  @Override
  public int entryBuffer() {
    return entryBuffer;
  }

  @Override
  public Flow<StreamChunk, StreamChunk, NotUsed> flow(int domain) {
    return Flow.<StreamChunk>create()
        .groupBy(Integer.MAX_VALUE, StreamChunk::channel)
        .statefulMap(() -> {
          channelsOpened.incrementAndGet();
          return new Wire(domain);
        }, Wire::carry, wire -> Optional.empty())
        .buffer(channelBuffer, OverflowStrategy.backpressure())
        .mergeSubstreams();
  }

  @Override
  public void pushedBack(int domain) {
    pushBacks.incrementAndGet();
  }

  /** Channels whose substream has been materialized (each by its first packet), over every domain. */
  public long channelsOpened() {
    return channelsOpened.get();
  }

  /** Times the stream had no room for a domain's next packet, so that the domain waited for room. */
  public long pushBacks() {
    return pushBacks.get();
  }

  /** The channel an event travels on: its reader and the channel id in its data word. */
  @Override
  public long channel(int target, long data) {
    return ((long) target << 32) | (data & 0xFFFF_FFFFL);
  }

  /** One channel's substream state: the last send sequence number of each of its writers. */
  private static final class Wire {
    private final int domain;
    private int[] writers = new int[0];
    private long[] lastSeq = new long[0];
    /** The writer seen last and its index: most chunks come from the writer before. */
    private int writer = -1;
    private int last = -1;

    Wire(int domain) {
      this.domain = domain;
    }

    Pair<Wire, StreamChunk> carry(StreamChunk chunk) {
      for (int i = 0, n = chunk.size(); i < n; i++) {
        check(chunk, i);
      }
      return Pair.create(this, chunk);
    }

    private void check(StreamChunk chunk, int i) {
      int source = chunk.source(i);
      if (chunk.payload(i) instanceof IkcPacket p && p.channel() != chunk.data(i)) {
        throw failure(chunk.event(i), "entity " + source + " wrote a packet of channel " + p.channel()
            + " into it");
      }
      int w = writer == source ? last : indexOf(source);
      long seq = chunk.seq(i);
      if (seq <= lastSeq[w]) {
        throw failure(chunk.event(i), "entity " + source + "'s event " + seq + " came after its event "
            + lastSeq[w] + ", but a channel is a FIFO ring");
      }
      lastSeq[w] = seq;
    }

    private ChannelFailure failure(StreamedEvent e, String what) {
      return new ChannelFailure("IKC channel " + e.data() + " read by entity " + e.target() + " (domain "
          + domain + "): " + what + " (" + (e.payload() instanceof IkcPacket p ? p.type() + ", " : "")
          + "due at t=" + e.time() + "ns)");
    }

    /** The index of {@code source} among the writers, which becomes the one last seen. */
    private int indexOf(int source) {
      writer = source;
      for (int i = 0; i < writers.length; i++) {
        if (writers[i] == source) {
          last = i;
          return i;
        }
      }
      writers = Arrays.copyOf(writers, writers.length + 1);
      lastSeq = Arrays.copyOf(lastSeq, lastSeq.length + 1);
      writers[writers.length - 1] = source;
      lastSeq[lastSeq.length - 1] = -1;
      last = writers.length - 1;
      return last;
    }
  }
}
