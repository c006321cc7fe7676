package io.mcksim.actors.engine;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * The Pekko Streams graph a domain's streamed events ({@link SimContext#sendStreamed}) pass through on
 * the actor engine, between the bounded queue the sending entities offer into and the sink that hands
 * them to the domain, one acknowledged delivery at a time. A model whose entities stream supplies its
 * own ({@link SimModel#streamTransport}; IKC's gives every channel its own substream and buffer); the
 * default passes events straight through. The sequential engine uses no stream at all.
 *
 * <p>Whatever the graph does, it must pass on every event it is given, exactly once (it may reorder
 * them: the domain files each by its full key). A stage that fails ends the run, as a model failure
 * of the domain, with the virtual time the domain had reached and the seed; the stage's exception
 * should name what failed (for IKC, the channel).
 */
public interface StreamTransport {

  /** No stage between the queue and the domain. */
  StreamTransport DIRECT = domain -> Flow.create();

  /** The graph for domain {@code domain}'s events; materialized on the domain's first streamed event. */
  Flow<StreamedEvent, StreamedEvent, NotUsed> flow(int domain);

  /**
   * Events the stream's entry queue holds before it pushes back on the entities that send; 0 (the
   * default) takes {@code mcksim.actors.engine.stream-buffer}.
   */
  default int entryBuffer() {
    return 0;
  }

  /**
   * Told (on domain {@code domain}'s thread) each time the stream has no room for the domain's next
   * event, so that the domain runs nothing more until the stream has taken it: for statistics; it must
   * not change anything else.
   */
  default void pushedBack(int domain) {}
}
