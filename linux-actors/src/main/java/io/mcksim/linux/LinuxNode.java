package io.mcksim.linux;

import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.config.SyscallCosts;
import io.mcksim.linux.noise.NoiseProfile;
import io.mcksim.linux.noise.NoiseTimeline;
import io.mcksim.workloads.Program;
import java.util.List;

/** One Linux-only node: its CPUs run the given programs natively, CPU i running programs[i]. */
public final class LinuxNode implements SimModel {

  private final List<Program> programs;
  private final SyscallCosts syscalls;
  private final long seed;
  private final LinuxCpu[] cpus;
  /** The pid of program 0; program i is pid FIRST_PID + i. */
  public static final int FIRST_PID = 1000;
  private int machineCpus;
  private long memoryBytes;

  private final java.util.function.IntFunction<List<io.mcksim.linux.noise.NoiseSource>> noise;

  public LinuxNode(List<Program> programs, SyscallCosts syscalls, long seed) {
    this(programs, syscalls, "none", seed);
  }

  /** @param noiseProfile one of {@link NoiseProfile#NAMES}, on every CPU */
  public LinuxNode(List<Program> programs, SyscallCosts syscalls, String noiseProfile, long seed) {
    this(programs, syscalls, cpu -> NoiseProfile.sources(noiseProfile, seed, cpu), seed);
    NoiseProfile.sources(noiseProfile, seed, 0); // rejects an unknown profile now
  }

  /** @param noise the noise sources of each CPU */
  public LinuxNode(List<Program> programs, SyscallCosts syscalls,
      java.util.function.IntFunction<List<io.mcksim.linux.noise.NoiseSource>> noise, long seed) {
    this.programs = List.copyOf(programs);
    this.syscalls = syscalls;
    this.noise = noise;
    this.seed = seed;
    this.cpus = new LinuxCpu[programs.size()];
  }

  @Override
  public String name() {
    return "linux-node";
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public int entityCount() {
    return programs.size();
  }

  @Override
  public int domainCount() {
    return 1;
  }

  @Override
  public int domainOf(int entity) {
    return 0;
  }

  @Override
  public long lookahead() {
    return 1;
  }

  @Override
  public long localLookahead() {
    return 1;
  }

  /**
   * The machine the programs' /proc and /sys reads show (Linux's view: every CPU, all memory); without
   * it, as many CPUs as programs and no memory. Call before the model runs.
   */
  public LinuxNode withMachine(int machineCpus, long memoryBytes) {
    this.machineCpus = machineCpus;
    this.memoryBytes = memoryBytes;
    return this;
  }

  @Override
  public SimEntity createEntity(int id) {
    cpus[id] = new LinuxCpu(id, syscalls, programs.get(id), new NoiseTimeline(noise.apply(id)))
        .withView(FIRST_PID + id, machineCpus > 0 ? machineCpus : programs.size(), memoryBytes);
    return cpus[id];
  }

  /** After a run: CPU {@code i}. */
  public LinuxCpu cpu(int i) {
    return cpus[i];
  }
}
