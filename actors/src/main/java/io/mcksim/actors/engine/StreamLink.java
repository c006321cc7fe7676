package io.mcksim.actors.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The Pekko stream that carries a domain's streamed events ({@link SimContext#sendStreamed}) from the
 * entity actors that send them to the domain sequencer, which files them in its queue by their full
 * (time, target, source, sequence) key.
 *
 * <p>Shape: a bounded multi-producer queue, a {@code batch} stage that gathers events while
 * downstream is busy, and a sink that hands each gathered list to the domain actor. What is in
 * flight, and so the domain's mailbox, is bounded by the buffer. The buffer is
 * bounded; models that stream (IKC rings) bound their own traffic in virtual time, and the buffer is
 * sized above that bound, so wall-clock backpressure never blocks what the virtual model lets
 * through. If a model ever outruns it, the run fails loudly rather than losing an event.
 *
 * <p>The domain counts what was sent and what arrived, and starts no batch while events are still in
 * the stream. A domain that never streams never materializes its stream.
 */
final class StreamLink {

  /** One event in the stream. */
  record StreamedEvent(long time, int target, int source, long seq, long data, Object payload) {}

  private final ActorSystem<?> system;
  private final int bufferSize;
  private final int domain;
  private final AtomicLong sent = new AtomicLong();
  private long received;
  private volatile BoundedSourceQueue<StreamedEvent> in;
  private final java.util.function.Consumer<List<StreamedEvent>> deliver;

  /** @param deliver hands each gathered list of events to the domain (a message to its actor) */
  StreamLink(ActorSystem<?> system, int domain, int bufferSize,
      java.util.function.Consumer<List<StreamedEvent>> deliver) {
    this.system = system;
    this.domain = domain;
    this.bufferSize = bufferSize;
    this.deliver = deliver;
  }

  /** Called by entity actors (any thread) during a batch. */
  void offer(StreamedEvent e) {
    BoundedSourceQueue<StreamedEvent> q = in;
    if (q == null) {
      q = materialize();
    }
    sent.incrementAndGet();
    QueueOfferResult r = q.offer(e);
    if (r != QueueOfferResult.enqueued()) {
      throw new IllegalStateException("domain " + domain + ": its event stream refused an event (" + r
          + "); more than " + bufferSize + " streamed events in flight at once. Raise "
          + "mcksim.actors.engine.stream-buffer, or bound the model's streamed traffic");
    }
  }

  private synchronized BoundedSourceQueue<StreamedEvent> materialize() {
    if (in == null) {
      in = Source.<StreamedEvent>queue(bufferSize)
          .batch(bufferSize, first -> {
            List<StreamedEvent> l = new ArrayList<>();
            l.add(first);
            return l;
          }, (l, e) -> {
            l.add(e);
            return l;
          })
          .to(Sink.foreach(deliver::accept))
          .run(Materializer.matFromSystem(system));
    }
    return in;
  }

  /** Events sent into the stream and not yet taken out by the domain (domain only). */
  long owed() {
    return sent.get() - received;
  }

  void took(int n) {
    received += n;
  }
}
