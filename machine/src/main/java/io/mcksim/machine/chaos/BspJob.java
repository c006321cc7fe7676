package io.mcksim.machine.chaos;

import io.mcksim.config.Scenario;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.bsp.BspNodes;
import io.mcksim.machine.bsp.BspPlan;
import io.mcksim.machine.bsp.BspSetup;
import java.util.List;
import java.util.Locale;

/**
 * A chaos scenario's BSP application as its job ({@code workload.type = bsp}): one job spanning every node
 * of the machine, its ranks built as {@code bin/mcksim run} builds them ({@link BspNodes#ranks}: on each
 * node, each rank a McKernel process whose threads run on the instance's CPUs in order), their collectives
 * over the interconnect. The batch system ({@link JobController}) launches every rank at once on every
 * node; a node that loses its ranks (a panic, a hang, a lost node, a killed mcexec) ends the launch on
 * every node, and the job fails or is requeued whole by {@code chaos.job.policy} (restart is a requeue:
 * the ranks write no checkpoints).
 */
record BspJob(BspPlan plan, List<HybridModel.Process> launch) implements ChaosJob {

  BspJob {
    launch = List.copyOf(launch);
  }

  /** The scenario's BSP application, checked for a chaos run: McKernel's, on the one instance it boots. */
  static BspJob of(Scenario s) {
    if (!s.os().model().equals("mckernel")) {
      throw ChaosJob.problem(s, "os.model", "os.model = " + s.os().model() + ", but a chaos run boots McKernel on "
          + "every node and runs the BSP ranks under mcexec; set os.model = mckernel");
    }
    if (s.partition().instances().size() != 1) {
      throw ChaosJob.problem(s, "partition.instances", "a chaos run boots one McKernel instance on each node, "
          + "where the ranks run; list one instance in partition.instances");
    }
    BspPlan plan = BspSetup.plan(s);
    return new BspJob(plan, BspNodes.ranks(s, plan));
  }

  /** The ranks' threads are on McKernel CPUs 0 to ranks x threads - 1 of the instance. */
  @Override
  public int cpus() {
    return plan.ranksPerNode() * plan.threadsPerRank();
  }

  @Override
  public boolean machineWide() {
    return true;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "BSP job over %d nodes, %d rank%s x %d thread%s per node, %d iterations",
        plan.nodes(), plan.ranksPerNode(), plan.ranksPerNode() == 1 ? "" : "s", plan.threadsPerRank(),
        plan.threadsPerRank() == 1 ? "" : "s", plan.iterations());
  }
}
