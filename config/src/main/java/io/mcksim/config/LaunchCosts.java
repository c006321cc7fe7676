package io.mcksim.config;

/** The {@code costs.launch} section, in ns: see reference.conf. */
public record LaunchCosts(long mcexec, long prepare, long schedule) {}
