package io.mcksim.mckernel;

import io.mcksim.actors.serialization.KryoRegistrar;
import io.mcksim.actors.serialization.KryoRegistry;
import io.mcksim.workloads.Access;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;

/**
 * McKernel's messages in the Kryo table, and the programs some of them carry (a fork's child, an
 * exec's image): ids 5000-5099.
 */
public final class McKernelKryoRegistrar implements KryoRegistrar {

  @Override
  public int firstId() {
    return 5000;
  }

  @Override
  public int lastId() {
    return 5099;
  }

  @Override
  public void register(KryoRegistry.Builder r) {
    r.register(McProcess.Resolve.class, 5000);
    r.register(McProcess.Render.class, 5001);
    r.register(McProcess.Rendered.class, 5002);
    r.register(McProcess.Resolved.class, 5003);
    r.register(McProcess.MapRegion.class, 5004);
    r.register(McProcess.MapDevice.class, 5005);
    r.register(McProcess.UnmapRegion.class, 5006);
    r.register(McProcess.ThreadExited.class, 5007);
    r.register(McProcess.ForkRequest.class, 5008);
    r.register(McProcess.Adopt.class, 5009);
    r.register(McProcess.KillProcess.class, 5010);
    r.register(McProcess.Kill.class, 5011);
    r.register(McProcess.Touch.class, 5012);
    r.register(McProcess.Touched.class, 5013);
    r.register(McProcess.Cached.class, 5014);
    r.register(McProcess.Invalidate.class, 5015);
    r.register(McProcess.Brk.class, 5016);
    r.register(McProcess.ThreadSpawned.class, 5017);
    r.register(McProcess.Exec.class, 5018);
    r.register(McProcess.Execed.class, 5019);
    r.register(McProcess.HostGone.class, 5020);
    r.register(McProcess.Signal.class, 5021);
    r.register(McProcess.SignalSent.class, 5022);
    r.register(McProcess.SetAction.class, 5023);
    r.register(McProcess.Deliver.class, 5024);
    r.register(McProcess.FutexWait.class, 5025);
    r.register(McProcess.FutexWake.class, 5026);
    r.register(McProcess.FutexCancel.class, 5027);
    r.register(McProcess.FutexDone.class, 5028);
    r.register(McProcess.ExitGroup.class, 5029);
    r.register(ProcessTable.Fork.class, 5030);
    r.register(ProcessTable.Forked.class, 5031);
    r.register(MemoryPartition.Grant.class, 5040);
    r.register(MemoryPartition.Granted.class, 5041);
    r.register(MemoryPartition.Count.class, 5042);
    r.register(MemoryPartition.Counted.class, 5043);
    r.register(MemoryPartition.Release.class, 5044);
    r.register(Program.class, 5060);
    r.register(SyscallArgs.class, 5061);
    r.register(Access.class, 5062);
    r.register(Op.Compute.class, 5063);
    r.register(Op.FixedTime.class, 5064);
    r.register(Op.Syscall.class, 5065);
    r.register(Op.Touch.class, 5066);
    r.register(Op.SpawnThread.class, 5067);
    r.register(Op.Fork.class, 5068);
    r.register(Op.Exec.class, 5069);
    r.register(Op.Exit.class, 5070);
    r.register(Op.Repeat.class, 5071);
    r.register(Op.Futex.class, 5072);
    r.register(Op.Kill.class, 5073);
    r.register(Op.Tgkill.class, 5074);
    r.register(Op.SigAction.class, 5075);
    r.register(Op.SigAction.Action.class, 5076);
  }
}
