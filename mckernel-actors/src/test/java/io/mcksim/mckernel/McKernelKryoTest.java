package io.mcksim.mckernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.mcksim.actors.serialization.KryoRegistry;
import io.mcksim.ikc.IkcKryoRegistrar;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.OffloadKryoRegistrar;
import io.mcksim.ikc.PacketType;
import io.mcksim.workloads.Access;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every McKernel message, and every kind of op a program they carry holds, round-trips through Kryo. */
class McKernelKryoTest {

  static final IkcPacket PACKET = new IkcPacket(PacketType.SYSCALL_ONESIDE, 3, 17, 1000, 1000, 2, 1, 0x10000,
      4096, 0, 1);

  /** A program with an op of every kind (and so every workloads class the table holds). */
  static final Program PROGRAM = Program.named("all-ops")
      .compute(1_000)
      .ftq(100_000, 3, 100)
      .syscall("write", SyscallArgs.fd(1).size(64).buffer(0x10000).path("/tmp/x"))
      .touch(0x10000, 4096, Access.WRITE)
      .spawnThread(Program.named("t").compute(5).build())
      .repeat(2, b -> b.compute(7))
      .fork(Program.named("child").exit(3).build())
      .exec(Program.named("image").exit(0).build())
      .build();

  static final List<Object> SAMPLES = List.of(
      new McProcess.Resolve(PACKET, 500),
      new McProcess.Render(PACKET, 500),
      new McProcess.Rendered(PACKET, 223),
      new McProcess.Resolved(PACKET, true),
      new McProcess.MapRegion(0x4000_0000L, 1 << 20, true),
      new McProcess.MapDevice(0x7000_0000L, 1 << 16),
      new McProcess.UnmapRegion(0x4000_0000L, 1 << 20),
      new McProcess.ThreadExited(1001, 0, 9),
      new McProcess.ForkRequest(1000, 1, PROGRAM, 2),
      new McProcess.Adopt(1000, List.of(new long[] {0x10000, 0x20000}), 2),
      new McProcess.KillProcess(9),
      new McProcess.Kill(1000, 9),
      new McProcess.Touch(1000, 0x10000, 4096),
      new McProcess.Touched(1000, 0x10000, 4096, 1, 4096, 0, false),
      new McProcess.Cached(1000, 0x10000, 0x11000),
      new McProcess.Invalidate(1000, 0x10000, 0x11000),
      new McProcess.Brk(0x800000),
      new McProcess.ThreadSpawned(1001, 2),
      new McProcess.Exec(1000, 1 << 26),
      new McProcess.Execed(1000),
      new McProcess.HostGone(),
      new McProcess.Signal(1000, 1001, 10, 5, 1000),
      new McProcess.SignalSent(1000, -3),
      new McProcess.SetAction(new Op.SigAction(10, Op.SigAction.Action.HANDLE, Program.named("h").compute(1).build())),
      new McProcess.Deliver(1000, 1001, 10, Program.named("h").compute(1).build()),
      new McProcess.FutexWait(1001, 0x20000),
      new McProcess.FutexWake(1000, 0x20000, 2),
      new McProcess.FutexCancel(1001),
      new McProcess.FutexDone(1001, 1),
      new McProcess.ExitGroup(1001, 3),
      new McProcess.Adopt(1000, List.of(new long[] {0x10000, 0x20000}), 2,
          new java.util.ArrayList<>(List.of(new Op.SigAction(15, Op.SigAction.Action.IGNORE, null)))),
      new ProcessTable.Fork(1000, 1000, 1, PROGRAM, List.of(new long[] {0x10000, 0x20000}), 2),
      new ProcessTable.Forked(1000, 1001, PROGRAM),
      new MemoryPartition.Grant(7, 1 << 20, true, 5),
      new MemoryPartition.Granted(7, 1 << 20, true),
      new MemoryPartition.Count(PACKET, 2, 300, 1L << 30, 1L << 29, 5),
      new MemoryPartition.Counted(PACKET, 2, 300, 1L << 30, 1L << 29),
      new MemoryPartition.Release(1 << 20),
      PROGRAM,
      SyscallArgs.fd(3).size(8),
      Access.READ,
      new Op.Compute(1),
      new Op.FixedTime(100_000, 3, 100),
      new Op.Syscall("getpid"),
      new Op.Touch(0x10000, 4096, Access.READ),
      new Op.SpawnThread(Program.named("t").compute(5).build()),
      new Op.Fork(Program.named("c").exit(1).build()),
      new Op.Exec(Program.named("i").exit(0).build()),
      new Op.Exit(2),
      new Op.Repeat(2, List.of(new Op.Compute(3))),
      Op.Futex.wake(0x20000, 1),
      new Op.Kill("pid", 1003, 15),
      new Op.Tgkill("main", 0, 10),
      new Op.SigAction(2, Op.SigAction.Action.DEFAULT, null),
      Op.SigAction.Action.IGNORE);

  @Test
  void everyRegisteredMcKernelClassHasASampleThatRoundTrips() {
    KryoRegistry registry = KryoRegistry.of(List.of(new IkcKryoRegistrar(), new OffloadKryoRegistrar(),
        new McKernelKryoRegistrar()));
    Set<Class<?>> registered = registry.entries().stream()
        .filter(e -> e.owner().equals(McKernelKryoRegistrar.class.getName()))
        .map(KryoRegistry.Entry::type).collect(Collectors.toSet());
    assertThat(SAMPLES.stream().map(Object::getClass).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(registered);
    Kryo kryo = registry.newKryo(getClass().getClassLoader(), null);
    for (Object sample : SAMPLES) {
      Output out = new Output(256, -1);
      kryo.writeClassAndObject(out, sample);
      Object back = kryo.readClassAndObject(new Input(out.toBytes()));
      // records holding arrays compare their contents
      assertThat(back).as(sample.getClass().getName()).usingRecursiveComparison().isEqualTo(sample);
    }
  }
}
