package io.mcksim.actors.engine;

/**
 * One event on its way through a domain's stream ({@link SimContext#sendStreamed}) on the actor engine:
 * its full key (time, target, source, sequence number), its data word and its payload. The domain files
 * it by that key, so the order in which streamed events arrive never shows in a run's results.
 */
public record StreamedEvent(long time, int target, int source, long seq, long data, Object payload) {}
