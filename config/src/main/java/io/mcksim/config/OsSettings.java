package io.mcksim.config;

/**
 * The {@code os} section.
 *
 * @param model        {@code mckernel} (hybrid) or {@code linux} (every CPU runs Linux)
 * @param image        the kernel image {@code ihkosctl load} is given
 * @param kargs        kernel arguments; McKernel's must contain {@code hidos}
 * @param maxInstances OS instances one node can hold at once
 * @param linuxNoise   the noise profile of the Linux CPUs of the programs workload: those the programs
 *                     run on under {@code os.model = linux}, those of mcctrl and the proxies otherwise
 */
public record OsSettings(String model, String image, String kargs, int maxInstances, String linuxNoise) {}
