package io.mcksim.config;

/** The {@code costs.ikc} section, in ns: see reference.conf. */
public record IkcCostSettings(long latency, long ipi, long credit) {}
