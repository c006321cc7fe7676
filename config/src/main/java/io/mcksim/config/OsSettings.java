package io.mcksim.config;

/**
 * The {@code os} section.
 *
 * @param model        {@code mckernel} (hybrid) or {@code linux} (every CPU runs Linux)
 * @param image        the kernel image {@code ihkosctl load} is given
 * @param kargs        kernel arguments; McKernel's must contain {@code hidos}
 * @param maxInstances OS instances one node can hold at once
 */
public record OsSettings(String model, String image, String kargs, int maxInstances) {}
