package io.mcksim.actors.engine;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * The Pekko stream that carries a domain's streamed events ({@link SimContext#sendStreamed}) from the
 * entities that send them to the domain sequencer, which files them in its queue by their full
 * (time, target, source, sequence) key.
 *
 * <p>Shape: a bounded queue the domain offers into, the model's {@link StreamTransport} graph (IKC: a
 * lane per channel), and a sink that hands what comes out to the domain through a bounded
 * hand-off: the sink pulls only while the hand-off has room, and the domain takes everything there
 * at each step of its work, without a message. Events travel in {@link StreamChunk}s: what one entity
 * streamed on one channel since the domain last fed the stream (which it does when one of the events
 * it holds is due in its next batch, or its window ends), so a writer's packets cost the stream one
 * element per hand-over; a chunk holds its events in primitive columns and, once the domain has filed
 * them, gathers again (no object per event, none per chunk once the link has as many as it keeps in
 * flight). The stream's actor runs on the domain's thread ({@link SameThreadExecutor}), once per feed
 * however many chunks the feed offers. Every stage is bounded, so the domain's taking paces the whole
 * stream: real backpressure, no unbounded mailbox. What an entity streams goes into its domain's own
 * buffer when its domain runs it, else into its thread's streamed outbox for the domain (an entity
 * actor runs on a shared dispatcher thread and must not wait); the domain hands both to the link, in
 * order, after the batch, and offers the chunks to the stream; when the entry queue is full, the domain
 * waits for the stream to take chunks before it runs another batch or finishes its window. Nothing is
 * dropped and nothing fails for want of room; the results do not depend on the buffer sizes.
 *
 * <p>Neither side waits for the other while it has work: the domain runs ahead while the stream
 * carries what it offered, and the stream fills the hand-off while the domain runs. Only a side that
 * has nothing to do is woken by the other, once: the domain when it waits for an owed event ({@link
 * #park}; the sink tells it when a chunk comes out, {@link Domain#wake}), the sink when the hand-off
 * was full (the domain's taking invokes its callback).
 *
 * <p>The link knows the earliest time of the events still owed (handed to it and not yet taken out by
 * the domain), exactly: the domain waits for the stream only when that time falls inside its next
 * batch, so events still in the stream that are due later never hold it back. A domain that never
 * streams never materializes its stream.
 */
final class StreamLink {

  /** Where the stream's output goes: the domain's actor. */
  interface Domain {
    /** The domain parked ({@link #park}) and a chunk came out of the stream: tell it to take it. */
    void wake();

    /** A stage of the stream failed. */
    void failed(Throwable error);
  }

  /** Takes the events of a chunk that came out of the stream (the domain files them). */
  interface Taker {
    void take(StreamChunk chunk);
  }

  /** The dispatcher the stream runs on: its domain's thread ({@link SameThreadExecutor}). */
  static final String DISPATCHER = "mcksim.actors.engine.stream-dispatcher";

  private final ActorSystem<?> system;
  private final StreamTransport transport;
  private final int bufferSize;
  private final int domainId;
  private final Domain domain;
  private BoundedSourceQueue<StreamChunk> in;
  /**
   * What the domain's entities streamed that the domain has not yet handed to the stream, one chunk per
   * writer and channel, in the order first written; {@link #open} holds each writer's (by its index in
   * the domain, linked by {@link StreamChunk#nextOfWriter}), made on the first send. {@link #pendingMin}
   * is the earliest of their times.
   */
  private final ArrayDeque<StreamChunk> pending = new ArrayDeque<>();
  private final int[] localIndex;
  private final int writers;
  private StreamChunk[] open;
  private long pendingMin = Long.MAX_VALUE;
  /** Chunks the domain has filed, for reuse (linked by {@link StreamChunk#nextOfWriter}). */
  private StreamChunk free;
  /** The earliest times of the chunks owed, and of those taken out: their difference is what is owed. */
  private final LongHeap owedTimes = new LongHeap();
  private final LongHeap takenTimes = new LongHeap();
  /** Chunks out of the stream, for the domain to take; at most {@link #bufferSize} of them. */
  private final ConcurrentLinkedQueue<StreamChunk> out = new ConcurrentLinkedQueue<>();
  private final AtomicInteger outCount = new AtomicInteger();
  /** Set by the domain when it waits for the stream; cleared by whichever side wakes it. */
  private final AtomicBoolean domainParked = new AtomicBoolean();
  /** Set by the sink when the hand-off is full; cleared by whichever side lets it pull again. */
  private final AtomicBoolean sinkBlocked = new AtomicBoolean();
  private final BooleanSupplier offerAll = this::offerAll;
  /** The sink's callback that lets it pull again; set before it first pulls. */
  private volatile AsyncCallback<Object> room;

  /**
   * The link of domain {@code domainId}, whose entities are {@code writers} in number; {@code localIndex}
   * gives each entity's index in its domain.
   */
  StreamLink(ActorSystem<?> system, int domainId, int writers, int[] localIndex, StreamTransport transport,
      int bufferSize, Domain domain) {
    this.system = system;
    this.writers = writers;
    this.localIndex = localIndex;
    this.domainId = domainId;
    this.transport = transport;
    this.bufferSize = transport.entryBuffer() > 0 ? transport.entryBuffer() : bufferSize;
    this.domain = domain;
  }

  /**
   * Domain only, while no entity of the domain runs elsewhere: one event an entity of the domain
   * streamed, in the order it sent them. It joins what that entity streamed on the same channel since
   * the domain last fed the stream, so that they travel as one chunk.
   */
  void add(long time, int target, int source, long seq, long data, Object payload) {
    long channel = transport.channel(target, data);
    int writer = localIndex[source];
    if (open == null) {
      open = new StreamChunk[writers];
    }
    StreamChunk c = open[writer];
    while (c != null && c.channel() != channel) {
      c = c.nextOfWriter;
    }
    if (c == null) {
      c = free;
      if (c == null) {
        c = new StreamChunk();
      } else {
        free = c.nextOfWriter;
      }
      c.open(channel, writer);
      c.nextOfWriter = open[writer];
      open[writer] = c;
      pending.add(c);
    }
    c.add(time, target, source, seq, data, payload);
    if (time < pendingMin) {
      pendingMin = time;
    }
  }

  /**
   * Domain only: offers what it holds, one chunk per writer and channel, oldest first, until the queue
   * refuses one. True when none is left; otherwise the stream holds chunks, and the domain should
   * {@link #park} until it hears from it.
   */
  boolean feed() {
    if (pending.isEmpty()) {
      return true;
    }
    if (in == null) {
      materialize();
    }
    // the stream's actor runs once, after the offers, and carries every chunk they enqueued
    return SameThreadExecutor.holding(offerAll);
  }

  /** Offers the held chunks, oldest first, until the queue refuses one; true when none is left. */
  private boolean offerAll() {
    BoundedSourceQueue<StreamChunk> q = in;
    while (!pending.isEmpty()) {
      StreamChunk chunk = pending.peek();
      if (q.offer(chunk) != QueueOfferResult.enqueued()) {
        transport.pushedBack(domainId);
        pendingMin = Long.MAX_VALUE;
        for (StreamChunk left : pending) {
          pendingMin = Math.min(pendingMin, left.minTime());
        }
        return false;
      }
      pending.poll();
      closeGathering(chunk);
      owedTimes.push(chunk.minTime());
    }
    pendingMin = Long.MAX_VALUE;
    return true;
  }

  /** {@code chunk} went to the stream: what its writer streams next on its channel starts a new one. */
  private void closeGathering(StreamChunk chunk) {
    StreamChunk c = open[chunk.writer];
    if (c == chunk) {
      open[chunk.writer] = chunk.nextOfWriter;
    } else {
      while (c.nextOfWriter != chunk) {
        c = c.nextOfWriter;
      }
      c.nextOfWriter = chunk.nextOfWriter;
    }
    chunk.nextOfWriter = null;
  }

  /**
   * Domain only: hands every chunk that has come out of the stream to {@code taker}, in the order they
   * came, and gives the sink room again if it was waiting for it. Costs a read when there is none.
   */
  void takeAll(Taker taker) {
    int taken = 0;
    StreamChunk chunk;
    while ((chunk = out.poll()) != null) {
      taker.take(chunk);
      takenTimes.push(chunk.minTime());
      taken++;
      chunk.clear(); // filed: the chunk gathers again
      chunk.nextOfWriter = free;
      free = chunk;
    }
    if (taken > 0) {
      outCount.addAndGet(-taken);
      if (sinkBlocked.get() && sinkBlocked.compareAndSet(true, false)) {
        room.invoke(null);
      }
    }
  }

  /**
   * Domain only, after {@link #takeAll}: the domain waits for the stream. True when it should stop and
   * wait for {@link Domain#wake}; false when a chunk has come out meanwhile (take it and go on).
   */
  boolean park() {
    domainParked.set(true);
    if (!out.isEmpty() && domainParked.compareAndSet(true, false)) {
      return false;
    }
    return true; // the sink clears the flag and wakes the domain with the next chunk (or already has)
  }

  /** Materializes the stream, on the domain's first streamed event. */
  private BoundedSourceQueue<StreamChunk> materialize() {
    in = Source.<StreamChunk>queue(bufferSize)
        .via(transport.flow(domainId))
        .toMat(Sink.fromGraph(new HandOff()), Keep.left())
        .withAttributes(ActorAttributes.dispatcher(DISPATCHER))
        .run(Materializer.matFromSystem(system));
    return in;
  }

  /**
   * The stream's end: puts each chunk into the hand-off for the domain, wakes the domain if it waits,
   * and pulls the next only while the hand-off has room. A failure upstream is the domain's.
   */
  private final class HandOff extends GraphStage<SinkShape<StreamChunk>> {
    private final Inlet<StreamChunk> inlet = Inlet.create("StreamLink.handOff");
    private final SinkShape<StreamChunk> shape = SinkShape.of(inlet);

    @Override
    public SinkShape<StreamChunk> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new GraphStageLogic(shape) {
        {
          setHandler(inlet, new AbstractInHandler() {
            @Override
            public void onPush() {
              out.add(grab(inlet));
              int held = outCount.incrementAndGet();
              if (domainParked.get() && domainParked.compareAndSet(true, false)) {
                domain.wake();
              }
              if (held < bufferSize) {
                pull(inlet);
              } else {
                sinkBlocked.set(true);
                if (outCount.get() < bufferSize && sinkBlocked.compareAndSet(true, false)) {
                  pull(inlet);
                }
              }
            }

            @Override
            public void onUpstreamFinish() {}

            @Override
            public void onUpstreamFailure(Throwable error) {
              domain.failed(error);
              failStage(error);
            }
          });
        }

        @Override
        public void preStart() {
          room = createAsyncCallback(ignored -> {
            if (!hasBeenPulled(inlet) && !isClosed(inlet)) {
              pull(inlet);
            }
          });
          pull(inlet);
        }
      };
    }
  }

  /**
   * The earliest time of the events owed (streamed, and not yet taken out of the stream: held by the
   * domain or in the stream), or {@code Long.MAX_VALUE} when none is.
   */
  long owedMin() {
    while (!takenTimes.isEmpty() && takenTimes.peek() == owedTimes.peek()) {
      takenTimes.pop();
      owedTimes.pop();
    }
    return Math.min(pendingMin, owedTimes.isEmpty() ? Long.MAX_VALUE : owedTimes.peek());
  }

  /** Drops the chunks kept for reuse (the domain's run is over; a later stream makes new ones). */
  void trim() {
    free = null;
  }

  /** The earliest time of the events the domain holds, not yet handed to the stream. */
  long heldMin() {
    return pendingMin;
  }

  /** A binary min-heap of longs: the owed and taken chunks' earliest times. */
  private static final class LongHeap {
    private long[] a = new long[16];
    private int size;

    boolean isEmpty() {
      return size == 0;
    }

    long peek() {
      return a[0];
    }

    void push(long v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, 2 * size);
      }
      int i = size++;
      while (i > 0) {
        int p = (i - 1) >>> 1;
        if (a[p] <= v) {
          break;
        }
        a[i] = a[p];
        i = p;
      }
      a[i] = v;
    }

    void pop() {
      long last = a[--size];
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int c = 2 * i + 1;
        if (c + 1 < size && a[c + 1] < a[c]) {
          c++;
        }
        if (last <= a[c]) {
          break;
        }
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
  }
}
