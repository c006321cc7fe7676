package io.mcksim.actors.engine;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * The Pekko Streams graph a domain's streamed events ({@link SimContext#sendStreamed}) pass through on
 * the actor engine, between the bounded queue the domain offers them into and the sink that hands
 * them to the domain through a bounded hand-off. Events travel in {@link StreamChunk}s: the events one
 * entity streamed on one {@link #channel} since its domain last fed the stream, in the order sent. A model whose
 * entities stream supplies its own transport ({@link SimModel#streamTransport}; IKC's gives every
 * channel its own bounded lane); the default passes chunks straight through. The sequential
 * engine uses no stream at all.
 *
 * <p>Whatever the graph does, it must pass on every chunk it is given, exactly once and whole (it may
 * reorder them: the domain files each event by its full key). A stage that fails ends the run, as a
 * model failure of the domain, with the virtual time the domain had reached and the seed; the stage's
 * exception should name what failed (for IKC, the channel).
 */
public interface StreamTransport {

  /** No stage between the queue and the domain. */
  StreamTransport DIRECT = domain -> Flow.create();

  /** The graph for domain {@code domain}'s chunks; materialized on the domain's first streamed event. */
  Flow<StreamChunk, StreamChunk, NotUsed> flow(int domain);

  /**
   * The channel an event to {@code target} with data word {@code data} travels on: the events one entity
   * streams on one channel between two feeds of the stream share a chunk. The default puts all of them
   * on channel 0.
   */
  default long channel(int target, long data) {
    return 0;
  }

  /**
   * Chunks the stream's entry queue holds before it pushes back on the domain; 0 (the default) takes
   * {@code mcksim.actors.engine.stream-buffer}.
   */
  default int entryBuffer() {
    return 0;
  }

  /**
   * Told (on domain {@code domain}'s thread) each time the stream has no room for the domain's next
   * chunk, so that the domain runs nothing more until the stream has taken it: for statistics; it must
   * not change anything else.
   */
  default void pushedBack(int domain) {}
}
