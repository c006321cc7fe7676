package io.mcksim.actors.engine;

import java.util.List;

/**
 * What travels through a domain's stream ({@link StreamTransport}) as one element: the events one
 * entity streamed on one channel since its domain last fed the stream, in the order it sent them.
 * Carrying a writer's packets together costs the stream one element, not one per packet; a chunk is
 * never larger than what its writer may have in flight (for IKC, its share of the ring).
 *
 * @param channel the channel they travel on ({@link StreamTransport#channel}; 0 for a transport with
 *                no channels)
 * @param minTime the earliest of their times
 * @param events  the events, in the order sent, never empty
 */
public record StreamChunk(long channel, long minTime, List<StreamedEvent> events) {

  /** Events in this chunk. */
  public int size() {
    return events.size();
  }
}
