package io.mcksim.actors.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
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
 * entity actors that send them to the domain sequencer, which files them in its queue by their full
 * (time, target, source, sequence) key.
 *
 * <p>Shape: a bounded multi-producer queue, the model's {@link StreamTransport} graph (IKC: a substream
 * per channel), a {@code batch} stage that gathers events while the domain is busy, and a sink that
 * hands each gathered list to the domain and takes the next only when the domain has acknowledged it.
 * Every stage is bounded, so the domain's demand paces the whole stream: real backpressure, no
 * unbounded mailbox. When the entry queue is full, a sending entity does not wait (it runs on a shared
 * dispatcher thread); it parks the event, and every later one of its batch, on its cell, and the domain
 * feeds the parked events in as the stream takes events, before it runs another batch or finishes its
 * window. Nothing is dropped and nothing fails for want of room; the results do not depend on the
 * buffer sizes.
 *
 * <p>The domain counts what was sent and what arrived, and starts no batch an event still in the
 * stream could fall into. A domain that never streams never materializes its stream.
 */
final class StreamLink {

  /** Where the stream's output goes: the domain's actor. */
  interface Domain {
    /** A gathered list of events; the stream sends no more until {@code ack} is completed. */
    void delivered(List<StreamedEvent> events, CompletableFuture<Void> ack);

    /** A stage of the stream failed. */
    void failed(Throwable error);
  }

  private final ActorSystem<?> system;
  private final StreamTransport transport;
  private final int bufferSize;
  private final int domainId;
  private final Domain domain;
  private final AtomicLong sent = new AtomicLong();
  private long received;
  private volatile BoundedSourceQueue<StreamedEvent> in;
  /** Events the entry queue refused, in the order they were sent (domain only). */
  private final ArrayDeque<StreamedEvent> parked = new ArrayDeque<>();

  StreamLink(ActorSystem<?> system, int domainId, StreamTransport transport, int bufferSize, Domain domain) {
    this.system = system;
    this.domainId = domainId;
    this.transport = transport;
    this.bufferSize = transport.entryBuffer() > 0 ? transport.entryBuffer() : bufferSize;
    this.domain = domain;
  }

  /**
   * Called by entity actors (any thread) during a batch: counts the event as sent and, if {@code
   * tryQueue}, offers it to the stream. False if the caller must park it: the queue is full, or the
   * caller has already parked an earlier event (a sender's events enter the stream in the order sent).
   */
  boolean offer(StreamedEvent e, boolean tryQueue) {
    BoundedSourceQueue<StreamedEvent> q = in;
    if (q == null) {
      q = materialize();
    }
    sent.incrementAndGet();
    return tryQueue && q.offer(e) == QueueOfferResult.enqueued();
  }

  /** Domain only, between batches: events an entity parked, in the order it sent them. */
  void park(List<StreamedEvent> events) {
    parked.addAll(events);
    transport.heldBack(domainId, events.size());
  }

  /**
   * Domain only: offers the parked events, oldest first, until the queue refuses one. True when none
   * is left; otherwise the stream holds events, and the domain will hear from it.
   */
  boolean feed() {
    while (!parked.isEmpty()) {
      if (in.offer(parked.peek()) != QueueOfferResult.enqueued()) {
        return false;
      }
      parked.poll();
    }
    return true;
  }

  private synchronized BoundedSourceQueue<StreamedEvent> materialize() {
    if (in == null) {
      Pair<BoundedSourceQueue<StreamedEvent>, CompletionStage<Done>> ends =
          Source.<StreamedEvent>queue(bufferSize)
              .via(transport.flow(domainId))
              .batch(bufferSize, first -> {
                List<StreamedEvent> l = new ArrayList<>();
                l.add(first);
                return l;
              }, (l, e) -> {
                l.add(e);
                return l;
              })
              .toMat(Sink.foreachAsync(1, events -> {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                domain.delivered(events, ack);
                return ack;
              }), Keep.both())
              .run(Materializer.matFromSystem(system));
      ends.second().whenComplete((done, error) -> {
        if (error != null) {
          domain.failed(error);
        }
      });
      in = ends.first();
    }
    return in;
  }

  /** Events sent into the stream (or parked) and not yet taken out by the domain (domain only). */
  long owed() {
    return sent.get() - received;
  }

  void took(int n) {
    received += n;
  }
}
