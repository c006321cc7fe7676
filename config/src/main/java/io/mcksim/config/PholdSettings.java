package io.mcksim.config;

/** The {@code phold} section: the PHOLD benchmark model. Durations in nanoseconds. */
public record PholdSettings(int entities, int domains, int population, long lookaheadNs,
    long meanDelayNs, double remoteFraction) {}
