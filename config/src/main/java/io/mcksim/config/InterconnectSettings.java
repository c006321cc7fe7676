package io.mcksim.config;

/**
 * The {@code interconnect} section: a LogGP network between ranks.
 *
 * @param latencyNs          L: wire and switch latency between two nodes; the smallest cross-node
 *                           delay, so also the engine's lookahead
 * @param overheadNs         o: CPU time to send, and again to receive, one message
 * @param gapNs              g: least time between the starts of two sends from one CPU
 * @param perByteNs          G: time per byte after the first (the inverse of the bandwidth)
 * @param intraNodeLatencyNs L between two ranks of one node (shared memory)
 */
public record InterconnectSettings(long latencyNs, long overheadNs, long gapNs, double perByteNs,
    long intraNodeLatencyNs) {}
