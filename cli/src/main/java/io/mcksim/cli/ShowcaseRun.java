package io.mcksim.cli;

import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.ihk.IhkMaster;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.IhkNodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The built-in showcase ({@code workload.type = showcase}, what {@code bin/mcksim run} runs without a
 * file): one node boots McKernel, FWQ shows the noise of its Linux cores against its McKernel cores,
 * the syscall microbenchmark shows local, offloaded and native calls, and a BSP sweep compares Linux
 * with McKernel over growing machines. Each part is the same run its own workload type gives.
 */
final class ShowcaseRun {

  private ShowcaseRun() {}

  /**
   * The boot of one node: its OS instance's state changes, its kernel log, and when {@code mcreboot.sh}
   * had seen the instance RUNNING, so the node's job could start its workload.
   */
  record Boot(List<Transition> transitions, List<String> kmsg, long readyNs, RunResult result) {
    long bootNs() {
      long booting = -1;
      for (Transition t : transitions) {
        if (t.state().equals("BOOTING") && booting < 0) {
          booting = t.timeNs();
        } else if (t.state().equals("RUNNING") && booting >= 0) {
          return t.timeNs() - booting;
        }
      }
      return -1;
    }
  }

  /** One change of an OS instance's state, as {@code ihkosctl get status} would show it. */
  record Transition(long timeNs, int os, String state) {}

  /** Everything the showcase measured, each part with the runs that produced it. */
  record Outcome(Scenario scenario, Boot boot, FwqRun.Outcome fwq, SyscallsRun.Outcome syscalls,
      List<SweepRun.Point> bsp, long wallNanos) {

    /** Every engine run, in the order they ran. */
    List<RunResult> results() {
      List<RunResult> out = new ArrayList<>();
      out.add(boot.result());
      out.add(fwq.linux());
      if (fwq.mckernel() != null) {
        out.add(fwq.mckernel());
      }
      out.add(syscalls.mckernel());
      out.add(syscalls.linux());
      bsp.forEach(p -> out.add(p.measured().result()));
      return out;
    }
  }

  /** The showcase's parts, each loaded and checked: the node, FWQ, syscalls, and the BSP sweep. */
  record Parts(Scenario base, Scenario node, Scenario fwq, Scenario syscalls, List<SweepRun.Prepared> bsp) {}

  /**
   * Loads and checks every part, so that a bad value fails before anything runs.
   *
   * @param load the scenario (file and --set) with extra overrides
   */
  static Parts prepare(Function<List<String>, Scenario> load) {
    Scenario base = load.apply(List.of());
    Scenario node = load.apply(List.of("machine.nodes=1"));
    Scenario fwqS = load.apply(List.of("machine.nodes=1", "workload.type=fwq"));
    Scenario sysS = load.apply(List.of("machine.nodes=1", "workload.type=syscalls"));
    SyscallsRun.validate(sysS, sysS.workload().syscalls());
    // the BSP part is a sweep: each node count under Linux, then under McKernel
    Map<String, List<String>> sweep = new LinkedHashMap<>();
    sweep.put("machine.nodes", base.workload().showcase().bspNodes().stream().map(String::valueOf).toList());
    sweep.put("os.model", List.of("linux", "mckernel"));
    List<SweepRun.Prepared> bsp = SweepRun.prepare(io.mcksim.config.Sweep.of(sweep), more -> {
      List<String> o = new ArrayList<>(List.of("workload.type=bsp"));
      o.addAll(more);
      return load.apply(o);
    });
    return new Parts(base, node, fwqS, sysS, bsp);
  }

  /**
   * @param load  the scenario (file and --set) with extra overrides
   * @param stage told the name of each part as it starts
   */
  static Outcome run(Function<List<String>, Scenario> load, String engine, int threads,
      Consumer<String> stage, ProgressLine progress) {
    long started = System.nanoTime();
    Parts parts = prepare(load);
    Scenario base = parts.base();
    Scenario node = parts.node();
    Scenario fwqS = parts.fwq();
    Scenario sysS = parts.syscalls();
    List<SweepRun.Prepared> bsp = parts.bsp();

    stage.accept("boot: one node, McKernel on CPUs " + node.partition().instances().get(0).cpus());
    Boot boot = boot(node);
    stage.accept("FWQ: " + fwqS.workload().fwq().iterations() + " iterations on every core");
    FwqRun.Outcome fwq = FwqRun.run(fwqS, engine, threads);
    stage.accept("system calls: " + sysS.workload().syscalls().names().size() + " calls, "
        + sysS.workload().syscalls().calls() + " times each");
    SyscallsRun.Outcome sys = SyscallsRun.run(sysS, engine, threads);
    List<SweepRun.Point> points = SweepRun.run(bsp, engine, threads, (i, values) -> {
      String n = values.get("machine.nodes");
      stage.accept("BSP: " + n + (n.equals("1") ? " node" : " nodes") + " under "
          + BspRun.osName(values.get("os.model")));
    }, progress);
    return new Outcome(base, boot, fwq, sys, points, System.nanoTime() - started);
  }

  /**
   * Boots McKernel on one node as the scenario partitions it (mcreboot.sh), until it runs: the same IHK
   * entities and job as every node of the node model ({@link IhkNodes}), so the same times.
   */
  static Boot boot(Scenario s) {
    HybridModel model = IhkNodes.booting(s);
    RunResult r = new SequentialEngine().run(model, RunSpec.until(10_000_000_000L, 1)
        .withWallClock(System::nanoTime));
    IhkMaster master = model.master(0);
    List<Transition> transitions = new ArrayList<>();
    for (String line : master.transitions()) {
      // "TIME OS k STATE"
      String[] w = line.split(" ");
      transitions.add(new Transition(Long.parseLong(w[0]), Integer.parseInt(w[2]), w[3]));
    }
    List<String> kmsg = master.ihk().kmsg(0);
    if (model.operator(0).failedJobs() > 0) {
      throw new IllegalStateException("the showcase node did not boot: "
          + String.join(" | ", kmsg) + "; seed " + s.run().seed());
    }
    return new Boot(transitions, kmsg, model.operator(0).readyAt(), r);
  }
}
