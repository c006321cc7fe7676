package io.mcksim.config;

/**
 * The {@code run} section: how a scenario is executed.
 *
 * @param threads 0 means one per available core; resolved by whoever starts the engine
 */
public record RunSettings(long seed, long endTimeNs, String engine, int threads) {}
