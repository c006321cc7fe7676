package io.mcksim.machine.chaos;

import io.mcksim.config.Scenario;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.ProgramNodes;
import java.util.List;

/**
 * A chaos scenario's own programs as its job ({@code workload.type = programs}): the processes
 * {@code workload.programs} lists, read and placed as {@code bin/mcksim run} places them ({@link
 * ProgramNodes#processes}: program i on McKernel CPU i of OS instance 0, its timed signals with it), each
 * launched by the node's job manager through mcexec. A launch is over when every program has exited; it
 * succeeded when every one exited with status 0. The programs write no checkpoints: a restart starts them
 * from the start, as a requeue does.
 */
record ProgramsJob(List<HybridModel.Process> launch, List<String> names) implements ChaosJob {

  ProgramsJob {
    launch = List.copyOf(launch);
    names = List.copyOf(names);
  }

  /** The scenario's programs, checked for a chaos run: McKernel's, all on the one instance it boots. */
  static ProgramsJob of(Scenario s) {
    if (ProgramNodes.linux(s)) {
      throw ChaosJob.problem(s, "os.model", "os.model = linux, but a chaos run boots McKernel on every node and "
          + "runs the programs under mcexec; set os.model = mckernel");
    }
    List<HybridModel.Process> processes = ProgramNodes.processes(s);
    for (int i = 0; i < processes.size(); i++) {
      if (processes.get(i).instance() != 0) {
        throw ChaosJob.problem(s, "workload.programs", "workload.programs[" + i + "] (" + processes.get(i).program()
            .name() + ") runs on OS instance " + processes.get(i).instance() + ", but a chaos run boots one "
            + "McKernel instance on each node, instance 0; leave its instance key out");
      }
    }
    return new ProgramsJob(processes, processes.stream().map(p -> p.program().name()).toList());
  }

  @Override
  public int cpus() {
    return launch.size();
  }

  /** A program that forks takes a process slot for its child. */
  @Override
  public int spareSlots() {
    return HybridModel.DEFAULT_SPARE_SLOTS;
  }

  @Override
  public String describe() {
    return "programs " + String.join(", ", names);
  }
}
