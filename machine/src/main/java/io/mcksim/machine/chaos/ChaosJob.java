package io.mcksim.machine.chaos;

import io.mcksim.config.ChaosSettings;
import io.mcksim.config.ConfigProblem;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioException;
import io.mcksim.machine.HybridModel;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import java.util.List;

/**
 * What a chaos scenario's job runs on every node, by {@code workload.type}: the synthetic checkpointing
 * job ({@link CheckpointJob}, {@code workload.type} left at its default), the scenario's own programs
 * ({@link ProgramsJob}, {@code programs}) or a BSP application over every node ({@link BspJob},
 * {@code bsp}). A launch of the job is its processes, each run by mcexec in a process slot of its own;
 * the job manager (or, for a job over every node, the batch system) launches all of them again by the
 * job's policy.
 */
interface ChaosJob {

  /** The processes of one launch, in order, each on OS instance 0's McKernel CPUs it names. */
  List<HybridModel.Process> launch();

  /** The McKernel CPUs the job's threads start on: 0 to cpus - 1 (where CPU faults strike). */
  int cpus();

  /**
   * The first step of a process the job restarts after iteration {@code from} (its checkpoint's); a job
   * that writes no checkpoints starts over.
   */
  default int startOf(int from) {
    return 0;
  }

  /**
   * Iterations between two checkpoints, whose lines the job's processes write on stdout; 0 (the default):
   * the job writes none (its stdout is its own), and a restart starts from the start.
   */
  default int checkpointInterval() {
    return 0;
  }

  /**
   * Whether the job spans every node (its ranks talk over the interconnect): the batch system launches
   * and ends it machine-wide ({@link JobController}); otherwise each node's job manager runs its own.
   */
  default boolean machineWide() {
    return false;
  }

  /** Process slots each instance keeps free for the job's forks. */
  default int spareSlots() {
    return 0;
  }

  /** The job in a few words, for a campaign's heading. */
  String describe();

  /** The scenario's job: by {@code workload.type}, checked; the problem names the key and the fix. */
  static ChaosJob of(Scenario s, int instanceCpus) {
    ChaosSettings.Job job = s.chaos().job();
    return switch (s.workload().type()) {
      case "showcase" -> {
        if (job.threads() > instanceCpus) {
          throw problem(s, "chaos.job.threads", "chaos.job.threads = " + job.threads() + ", but "
              + "partition.instances[0] has " + instanceCpus + " CPUs; use at most " + instanceCpus);
        }
        yield new CheckpointJob(job, job.threads());
      }
      case "programs" -> ProgramsJob.of(s);
      case "bsp" -> BspJob.of(s);
      default -> throw problem(s, "workload.type", "workload.type = " + s.workload().type() + " is not a chaos "
          + "job; a chaos scenario runs the synthetic checkpointing job (leave workload.type out), its own "
          + "programs (workload.type = programs) or a BSP application over its nodes (workload.type = bsp)");
    };
  }

  /** Linux-side work: a process Linux runs natively, {@code linux-work.work} at a time. */
  static Program linuxWork(ChaosSettings chaos) {
    return new Program("linux-work", List.of(new Op.Repeat(chaos.job().iterations(),
        List.of(new Op.Compute(chaos.linuxWorkNs())))));
  }

  /** A problem with the scenario's key {@code key}, placed where the key was set (or in the scenario). */
  static ScenarioException problem(Scenario s, String key, String message) {
    String where = ConfigProblem.placeOf(s.config().hasPath(key) ? s.config().getValue(key).origin()
        : s.config().origin());
    return new ScenarioException(List.of(new ConfigProblem(where, key, message)));
  }
}
