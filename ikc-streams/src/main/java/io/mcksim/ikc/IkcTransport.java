package io.mcksim.ikc;

import io.mcksim.actors.engine.StreamChunk;
import io.mcksim.actors.engine.StreamTransport;
import io.mcksim.actors.engine.StreamedEvent;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * How IKC packets travel on the actor engine: a node's channels, every direction, as the lanes of one
 * Pekko Streams stage, keyed by channel. The ring model ({@link IkcSender}, {@link IkcReceiver}:
 * credits, capacity, sequence numbers, interrupts, faults) decides everything that happens in virtual
 * time; this graph is how its packets get from the actor that runs the writing side to the domain that
 * hands them to the reading side.
 *
 * <pre>
 *   entry queue (bounded) ─ ChannelLanes: lane of channel a (check, at most channelBuffer chunks) ─┬─ domain
 *                                         lane of channel b ...                                   ─┘
 * </pre>
 *
 * <p>A channel is the pair (reading entity, channel id): an {@link IkcSender} streams each packet with
 * its channel's id as the event's data word. What one writer wrote into one channel since its domain
 * last fed the stream travels as one {@link StreamChunk}, at most the writer's share of the ring. A
 * channel's lane is made by its first chunk, so an idle channel costs nothing, and an idle node no
 * stream. Every stage is bounded and the domain's taking paces them all: a full lane stops the stage
 * taking chunks, so the entry queue fills, and when it refuses a chunk the sending domain runs nothing
 * more until the stream has taken it.
 *
 * <p>The lanes are one stage rather than a {@code groupBy} substream per channel: measured on BSP at
 * 1,000 McKernel nodes (49 channels with traffic each), the substreams kept about 3.5 KB per channel
 * and cost two asynchronous crossings per chunk: the actor engine's run took about 1.5 times as long,
 * and kept 2.5 times the heap, as with lanes.
 *
 * <p>Each lane checks every packet it carries: it belongs to its channel (the packet's channel field
 * is the channel it was written into), and the wire is FIFO (the events of one writer come out in the
 * order it sent them, by the engine's per-entity send sequence, which no fault, duplicate or restart
 * moves back). A packet that breaks either fails the stage with a {@link ChannelFailure} naming the
 * channel, which ends the run with the domain's virtual time and the seed.
 */
public final class IkcTransport implements StreamTransport {

  /**
   * Chunks a channel's lane holds: as many as the master channel, McKernel's smallest ring, has
   * slots (a chunk holds at least one packet).
   */
  public static final int CHANNEL_BUFFER = 32;

  /** A channel's lane saw a packet it cannot carry. */
  public static final class ChannelFailure extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ChannelFailure(String message) {
      super(message);
    }
  }

  private final int channelBuffer;
  private final int entryBuffer;
  /** Channel lanes made so far, over every domain. */
  private final AtomicLong channelsOpened = new AtomicLong();
  /** Times the stream had no room for a domain's next packet, so that the domain waited. */
  private final AtomicLong pushBacks = new AtomicLong();

  /** The transport with {@link #CHANNEL_BUFFER} per channel and the engine's entry queue. */
  public IkcTransport() {
    this(CHANNEL_BUFFER, 0);
  }

  /**
   * @param channelBuffer chunks each channel's lane holds, at least 1
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
    return Flow.fromGraph(new ChannelLanes(domain));
  }

  @Override
  public void pushedBack(int domain) {
    pushBacks.incrementAndGet();
  }

  /** Channels whose lane has been made (each by its first packet), over every domain. */
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

  /**
   * A node's channels as the lanes of one stage. A chunk goes into its channel's lane (made by the
   * channel's first chunk, counted in {@link #channelsOpened}), which checks it ({@link Wire}) and holds
   * it until the domain's side pulls; chunks leave in the order they came. A lane holds at most
   * {@link #channelBuffer} chunks: when the last chunk filled its lane, the stage pulls nothing more
   * until that lane has passed one on, so the entry queue fills and holds its writers back.
   */
  private final class ChannelLanes extends GraphStage<FlowShape<StreamChunk, StreamChunk>> {
    private final Inlet<StreamChunk> in = Inlet.create("IkcTransport.in");
    private final Outlet<StreamChunk> out = Outlet.create("IkcTransport.out");
    private final FlowShape<StreamChunk, StreamChunk> shape = FlowShape.of(in, out);
    private final int domain;

    ChannelLanes(int domain) {
      this.domain = domain;
    }

    @Override
    public FlowShape<StreamChunk, StreamChunk> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new GraphStageLogic(shape) {
        private final Lanes lanes = new Lanes();
        /** The chunks held, in the order they came, and the lane of each. */
        private final ArrayDeque<StreamChunk> held = new ArrayDeque<>();
        private final ArrayDeque<Wire> heldLane = new ArrayDeque<>();
        /** The lane the last chunk filled, until it passes one on; null when none is full. */
        private Wire full;

        {
          setHandler(in, new AbstractInHandler() {
            @Override
            public void onPush() {
              StreamChunk chunk = grab(in);
              Wire lane = lanes.get(chunk.channel());
              if (lane == null) {
                lane = lanes.put(chunk.channel(), new Wire(domain));
                channelsOpened.incrementAndGet();
              }
              lane.carry(chunk); // a ChannelFailure fails the stage, and the run
              lane.held++;
              if (isAvailable(out)) {
                lane.held--;
                push(out, chunk);
              } else {
                held.add(chunk);
                heldLane.add(lane);
              }
              if (lane.held < channelBuffer) {
                pull(in);
              } else {
                full = lane;
              }
            }

            @Override
            public void onUpstreamFinish() {
              if (held.isEmpty()) {
                completeStage();
              }
            }
          });
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {
              StreamChunk chunk = held.poll();
              if (chunk == null) {
                return;
              }
              Wire lane = heldLane.poll();
              lane.held--;
              push(out, chunk);
              if (lane == full && lane.held < channelBuffer) {
                full = null;
                if (!isClosed(in)) { // the entry queue may have ended while the lane was full
                  pull(in);
                }
              }
              if (held.isEmpty() && isClosed(in)) {
                completeStage();
              }
            }
          });
        }

        @Override
        public void preStart() {
          pull(in);
        }
      };
    }
  }

  /** The lanes of one node's stage by channel: open addressing on the channel number. */
  private static final class Lanes {
    private long[] keys = new long[16];
    private Wire[] values = new Wire[16];
    private int size;

    Wire get(long channel) {
      int mask = keys.length - 1;
      for (int i = slot(channel, mask); ; i = (i + 1) & mask) {
        Wire w = values[i];
        if (w == null || keys[i] == channel) {
          return w;
        }
      }
    }

    Wire put(long channel, Wire lane) {
      if (2 * (size + 1) > keys.length) {
        long[] oldKeys = keys;
        Wire[] oldValues = values;
        keys = new long[2 * oldKeys.length];
        values = new Wire[2 * oldKeys.length];
        for (int i = 0; i < oldKeys.length; i++) {
          if (oldValues[i] != null) {
            insert(oldKeys[i], oldValues[i]);
          }
        }
      }
      insert(channel, lane);
      size++;
      return lane;
    }

    private void insert(long channel, Wire lane) {
      int mask = keys.length - 1;
      int i = slot(channel, mask);
      while (values[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = channel;
      values[i] = lane;
    }

    private static int slot(long channel, int mask) {
      long h = channel * 0x9E3779B97F4A7C15L;
      return (int) (h >>> 40) & mask;
    }
  }

  /**
   * One channel's lane: the chunks it holds, and the last send sequence number of each of its writers.
   */
  private static final class Wire extends WriterSequences {
    private final int domain;
    /** Chunks of this channel the stage holds. */
    int held;

    Wire(int domain) {
      this.domain = domain;
    }

    void carry(StreamChunk chunk) {
      for (int i = 0, n = chunk.size(); i < n; i++) {
        check(chunk, i);
      }
    }

    private void check(StreamChunk chunk, int i) {
      int source = chunk.source(i);
      if (chunk.payload(i) instanceof IkcPacket p && p.channel() != chunk.data(i)) {
        throw failure(chunk.event(i), "entity " + source + " wrote a packet of channel " + p.channel()
            + " into it");
      }
      int slot = slot(source, -1); // the writer's last event on this channel (-1: none yet)
      long seq = chunk.seq(i);
      if (seq <= sequence(slot)) {
        throw failure(chunk.event(i), "entity " + source + "'s event " + seq + " came after its event "
            + sequence(slot) + ", but a channel is a FIFO ring");
      }
      setSequence(slot, seq);
    }

    private ChannelFailure failure(StreamedEvent e, String what) {
      return new ChannelFailure("IKC channel " + e.data() + " read by entity " + e.target() + " (stream of"
          + " engine domain " + domain + "): " + what + " (" + (e.payload() instanceof IkcPacket p ? p.type() + ", " : "")
          + "due at t=" + e.time() + "ns)");
    }
  }
}
