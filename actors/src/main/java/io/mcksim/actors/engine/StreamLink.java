package io.mcksim.actors.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * substream per channel), and a sink that hands what comes out to the domain through a bounded
 * hand-off: the sink pulls only while the hand-off has room, and the domain takes everything there
 * at each step of its work, without a message. Events travel in {@link StreamChunk}s: what one entity
 * streamed on one channel since the domain last fed the stream (which it does when one of the events
 * it holds is due in its next batch, or its window ends), so a writer's packets cost the stream one
 * element per hand-over. The stream's actor runs on the domain's thread ({@link SameThreadExecutor}).
 * Every stage is bounded, so the domain's taking paces the whole stream: real backpressure, no
 * unbounded mailbox. An entity's streamed events are collected on its cell during a batch (it runs on
 * a shared dispatcher thread and must not wait) and handed, in order, to the domain, which offers them
 * to the stream; when the entry queue is full, the domain waits for the stream to take chunks before
 * it runs another batch or finishes its window. Nothing is dropped and nothing fails for want of room;
 * the results do not depend on the buffer sizes.
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
   * What the domain's entities streamed that the domain has not yet handed to the stream, one gathering
   * per writer and channel, in the order first written; {@link #gathering} holds each writer's (by its
   * index in the domain), made on the first send. {@link #pendingMin} is the earliest of their times.
   */
  private final ArrayDeque<Gathering> pending = new ArrayDeque<>();
  private final int writers;
  private Gathering[] gathering;
  private long pendingMin = Long.MAX_VALUE;
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
  /** The sink's callback that lets it pull again; set before it first pulls. */
  private volatile AsyncCallback<Object> room;

  /** The link of domain {@code domainId}, whose entities are {@code writers} in number. */
  StreamLink(ActorSystem<?> system, int domainId, int writers, StreamTransport transport, int bufferSize,
      Domain domain) {
    this.system = system;
    this.writers = writers;
    this.domainId = domainId;
    this.transport = transport;
    this.bufferSize = transport.entryBuffer() > 0 ? transport.entryBuffer() : bufferSize;
    this.domain = domain;
  }

  /**
   * Domain only, between batches: the events the entity of index {@code writer} in the domain streamed
   * in a batch, in the order sent. They join what it streamed on the same channel since the domain
   * last fed the stream, so that they travel as one chunk; the link keeps {@code events} (the entity
   * starts a new list).
   */
  void send(int writer, ArrayList<StreamedEvent> events) {
    if (gathering == null) {
      gathering = new Gathering[writers];
    }
    int n = events.size();
    int from = 0;
    while (from < n) {
      StreamedEvent first = events.get(from);
      long channel = transport.channel(first);
      int to = from + 1;
      while (to < n && transport.channel(events.get(to)) == channel) {
        to++;
      }
      Gathering g = gathering[writer];
      while (g != null && (g.offered || g.channel != channel)) {
        g = g.next;
      }
      if (g == null) {
        g = new Gathering(channel, writer, from == 0 && to == n ? events
            : new ArrayList<>(events.subList(from, to)), gathering[writer]);
        gathering[writer] = g;
        pending.add(g);
      } else {
        g.events.addAll(from == 0 && to == n ? events : events.subList(from, to));
      }
      for (int i = from; i < to; i++) {
        g.min = Math.min(g.min, events.get(i).time());
      }
      pendingMin = Math.min(pendingMin, g.min);
      from = to;
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
    BoundedSourceQueue<StreamChunk> q = in == null ? materialize() : in;
    while (!pending.isEmpty()) {
      Gathering g = pending.peek();
      StreamChunk chunk = new StreamChunk(g.channel, g.min, g.events);
      if (q.offer(chunk) != QueueOfferResult.enqueued()) {
        transport.pushedBack(domainId);
        pendingMin = Long.MAX_VALUE;
        for (Gathering left : pending) {
          pendingMin = Math.min(pendingMin, left.min);
        }
        return false;
      }
      pending.poll();
      g.offered = true;
      gathering[g.writer] = null;
      owedTimes.push(chunk.minTime());
    }
    pendingMin = Long.MAX_VALUE;
    return true;
  }

  /** The events one writer streamed on one channel since the domain last fed the stream. */
  private static final class Gathering {
    final long channel;
    /** The writer's index in the domain. */
    final int writer;
    final ArrayList<StreamedEvent> events;
    long min = Long.MAX_VALUE;
    /** The same writer's gathering on another channel. */
    final Gathering next;
    /** Handed to the stream: what the writer streams next starts a new chunk. */
    boolean offered;

    Gathering(long channel, int writer, ArrayList<StreamedEvent> events, Gathering next) {
      this.channel = channel;
      this.writer = writer;
      this.events = events;
      this.next = next;
    }
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
