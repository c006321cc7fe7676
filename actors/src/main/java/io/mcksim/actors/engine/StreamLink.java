package io.mcksim.actors.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The Pekko stream that carries a domain's streamed events ({@link SimContext#sendStreamed}) from the
 * entities that send them to the domain sequencer, which files them in its queue by their full
 * (time, target, source, sequence) key.
 *
 * <p>Shape: a bounded queue the domain offers into, the model's {@link StreamTransport} graph (IKC: a
 * substream per channel), a {@code batch} stage that gathers chunks while the domain is busy, and a
 * sink that hands each gathered list to the domain and takes the next only when the domain has
 * acknowledged it. Events travel in {@link StreamChunk}s: what one entity streamed on one channel in
 * one batch, so a writer's packets of a batch cost the stream one element. Every stage is bounded, so
 * the domain's demand paces the whole stream: real backpressure, no unbounded mailbox. An entity's
 * streamed events are collected on its cell during a batch (it runs on a shared dispatcher thread and
 * must not wait) and handed, in order, to the domain, which offers them to the stream; when the entry
 * queue is full, the domain waits for the stream to take chunks before it runs another batch or
 * finishes its window. Nothing is dropped and nothing fails for want of room; the results do not
 * depend on the buffer sizes.
 *
 * <p>The link knows the earliest time of the events still owed (handed to it and not yet taken out by
 * the domain), exactly: the domain waits for the stream only when that time falls inside its next
 * batch, so events still in the stream that are due later never hold it back. A domain that never
 * streams never materializes its stream.
 */
final class StreamLink {

  /** Where the stream's output goes: the domain's actor. */
  interface Domain {
    /** A gathered list of chunks; the stream sends no more until {@code ack} is completed. */
    void delivered(List<StreamChunk> chunks, CompletableFuture<Void> ack);

    /** A stage of the stream failed. */
    void failed(Throwable error);
  }

  private final ActorSystem<?> system;
  private final StreamTransport transport;
  private final int bufferSize;
  private final int domainId;
  private final Domain domain;
  private BoundedSourceQueue<StreamChunk> in;
  /** Chunks the domain's entities streamed that the domain has not yet handed to the stream, in order. */
  private final ArrayDeque<StreamChunk> pending = new ArrayDeque<>();
  /** The earliest times of the chunks owed, and of those taken out: their difference is what is owed. */
  private final LongHeap owedTimes = new LongHeap();
  private final LongHeap takenTimes = new LongHeap();

  StreamLink(ActorSystem<?> system, int domainId, StreamTransport transport, int bufferSize, Domain domain) {
    this.system = system;
    this.domainId = domainId;
    this.transport = transport;
    this.bufferSize = transport.entryBuffer() > 0 ? transport.entryBuffer() : bufferSize;
    this.domain = domain;
  }

  /**
   * Domain only, between batches: the events one entity streamed in a batch, in the order sent, cut
   * into chunks where the channel changes. The link keeps {@code events}: the entity starts a new list.
   */
  void send(List<StreamedEvent> events) {
    int n = events.size();
    int from = 0;
    while (from < n) {
      long channel = transport.channel(events.get(from));
      long min = events.get(from).time();
      int to = from + 1;
      while (to < n && transport.channel(events.get(to)) == channel) {
        min = Math.min(min, events.get(to).time());
        to++;
      }
      List<StreamedEvent> part = from == 0 && to == n ? events : List.copyOf(events.subList(from, to));
      pending.add(new StreamChunk(channel, min, part));
      owedTimes.push(min);
      from = to;
    }
  }

  /**
   * Domain only: offers the chunks it holds, oldest first, until the queue refuses one. True when none
   * is left; otherwise the stream holds chunks, and the domain will hear from it.
   */
  boolean feed() {
    if (pending.isEmpty()) {
      return true;
    }
    BoundedSourceQueue<StreamChunk> q = in == null ? materialize() : in;
    while (!pending.isEmpty()) {
      if (q.offer(pending.peek()) != QueueOfferResult.enqueued()) {
        transport.pushedBack(domainId);
        return false;
      }
      pending.poll();
    }
    return true;
  }

  /** Materializes the stream, on the domain's first streamed event. */
  private BoundedSourceQueue<StreamChunk> materialize() {
    Pair<BoundedSourceQueue<StreamChunk>, CompletionStage<Done>> ends =
        Source.<StreamChunk>queue(bufferSize)
            .via(transport.flow(domainId))
            .batch(bufferSize, first -> {
              List<StreamChunk> l = new ArrayList<>();
              l.add(first);
              return l;
            }, (l, c) -> {
              l.add(c);
              return l;
            })
            .toMat(Sink.foreachAsync(1, chunks -> {
              CompletableFuture<Void> ack = new CompletableFuture<>();
              domain.delivered(chunks, ack);
              return ack;
            }), Keep.both())
            .run(Materializer.matFromSystem(system));
    ends.second().whenComplete((done, error) -> {
      if (error != null) {
        domain.failed(error);
      }
    });
    in = ends.first();
    return in;
  }

  /** The earliest time of the events owed, or {@code Long.MAX_VALUE} when none is. */
  long owedMin() {
    while (!takenTimes.isEmpty() && takenTimes.peek() == owedTimes.peek()) {
      takenTimes.pop();
      owedTimes.pop();
    }
    return owedTimes.isEmpty() ? Long.MAX_VALUE : owedTimes.peek();
  }

  /** Domain only: {@code chunk} came out of the stream and was filed. */
  void took(StreamChunk chunk) {
    takenTimes.push(chunk.minTime());
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
