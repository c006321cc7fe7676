package io.mcksim.config;

/**
 * The {@code os} section.
 *
 * @param model        {@code mckernel} (hybrid), {@code linux} (every CPU runs Linux), or one of the
 *                     other HPC OS designs of {@link OsModels} (for the BSP workload)
 * @param image        the kernel image {@code ihkosctl load} is given
 * @param kargs        kernel arguments; McKernel's must contain {@code hidos}
 * @param maxInstances OS instances one node can hold at once
 * @param linuxNoise   the noise profile of the Linux CPUs of the programs workload: those the programs
 *                     run on under {@code os.model = linux}, those of mcctrl and the proxies otherwise
 */
public record OsSettings(String model, String image, String kargs, int maxInstances, String linuxNoise,
    OsModels models) {

  /** The models {@code os.model} may name. */
  public static final java.util.Set<String> MODELS = java.util.Set.of("mckernel", "linux", "mos", "hobbes",
      "argo", "l4linux");
}
