package io.mcksim.cli;

import io.mcksim.config.Scenario;
import java.util.List;
import java.util.function.Function;

/**
 * The checks a scenario passes before anything runs, beyond the config module's own: those of its
 * workload (syscall names, program files, the BSP's fit on the machine, every combination of a sweep,
 * every part of the showcase). {@code mcksim config} and {@code mcksim run} call this same code, so
 * whatever {@code config} accepts, {@code run} runs.
 */
final class Validation {

  private Validation() {}

  /**
   * Checks {@code s}, or throws the error a user sees (exit 2).
   *
   * @param load the scenario (file and --set) with extra overrides, for the runs a scenario expands to
   */
  static void check(Scenario s, Function<List<String>, Scenario> load) {
    String type = s.workload().type();
    if (!s.sweep().isEmpty() && !type.equals("bsp")) {
      throw new IllegalArgumentException("sweep: a sweep runs workload.type = bsp; this scenario's workload is "
          + type + ". Set workload.type = bsp or remove the sweep section");
    }
    String model = s.os().model();
    if (!type.equals("bsp") && !model.equals("mckernel") && !model.equals("linux")) {
      throw new IllegalArgumentException("os.model = " + model + ": the " + type
          + " workload runs under mckernel or linux; the other OS designs are modelled for "
          + "workload.type = bsp");
    }
    switch (type) {
      case "showcase" -> ShowcaseRun.prepare(load);
      case "syscalls" -> SyscallsRun.validate(s, s.workload().syscalls());
      case "programs" -> ProgramsRun.programs(s);
      case "bsp" -> {
        if (s.sweep().isEmpty()) {
          io.mcksim.machine.bsp.BspSetup.plan(s);
        } else {
          SweepRun.prepare(s.sweep(), load);
        }
      }
      default -> {
        // fwq, ftq, phold: the config module's checks are all there is
      }
    }
  }
}
