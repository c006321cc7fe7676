package io.mcksim.config;

/**
 * The {@code os} section.
 *
 * @param model        {@code mckernel} (hybrid) or {@code linux} (every CPU runs Linux)
 * @param image        the kernel image {@code ihkosctl load} is given
 * @param kargs        kernel arguments; McKernel's must contain {@code hidos}
 * @param maxInstances OS instances one node can hold at once
 * @param linuxNoise   the noise profile of the Linux CPUs programs run on under {@code os.model = linux}
 */
public record OsSettings(String model, String image, String kargs, int maxInstances, String linuxNoise) {}
