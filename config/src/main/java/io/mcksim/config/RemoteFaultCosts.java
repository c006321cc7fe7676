package io.mcksim.config;

/** The {@code costs.remote-fault} section, in ns: see reference.conf. */
public record RemoteFaultCosts(long request, long resolve, long map) {}
