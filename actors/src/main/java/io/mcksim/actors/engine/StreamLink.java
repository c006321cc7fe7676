package io.mcksim.actors.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * entity actors that send them to the domain sequencer, which files them in its queue by their full
 * (time, target, source, sequence) key.
 *
 * <p>Shape: a bounded multi-producer queue, the model's {@link StreamTransport} graph (IKC: a substream
 * per channel), a {@code batch} stage that gathers events while the domain is busy, and a sink that
 * hands each gathered list to the domain and takes the next only when the domain has acknowledged it.
 * Every stage is bounded, so the domain's demand paces the whole stream: real backpressure, no
 * unbounded mailbox. An entity's streamed events are collected on its cell during a batch (it runs on a
 * shared dispatcher thread and must not wait) and handed, in order, to the domain, which offers them to
 * the stream; when the entry queue is full, the domain waits for the stream to take events before it
 * runs another batch or finishes its window. Nothing is dropped and nothing fails for want of room;
 * the results do not depend on the buffer sizes.
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
  private long sent;
  private long received;
  private BoundedSourceQueue<StreamedEvent> in;
  /** Events the domain's entities streamed that the domain has not yet handed to the stream, in order. */
  private final ArrayDeque<StreamedEvent> pending = new ArrayDeque<>();

  StreamLink(ActorSystem<?> system, int domainId, StreamTransport transport, int bufferSize, Domain domain) {
    this.system = system;
    this.domainId = domainId;
    this.transport = transport;
    this.bufferSize = transport.entryBuffer() > 0 ? transport.entryBuffer() : bufferSize;
    this.domain = domain;
  }

  /** Domain only, between batches: the events one entity streamed in a batch, in the order sent. */
  void send(List<StreamedEvent> events) {
    sent += events.size();
    pending.addAll(events);
  }

  /**
   * Domain only: offers the events it holds, oldest first, until the queue refuses one. True when none
   * is left; otherwise the stream holds events, and the domain will hear from it.
   */
  boolean feed() {
    if (pending.isEmpty()) {
      return true;
    }
    BoundedSourceQueue<StreamedEvent> q = in == null ? materialize() : in;
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
  private BoundedSourceQueue<StreamedEvent> materialize() {
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
    return in;
  }

  /** Events streamed (held by the domain or in the stream) and not yet taken out by the domain. */
  long owed() {
    return sent - received;
  }

  void took(int n) {
    received += n;
  }
}
