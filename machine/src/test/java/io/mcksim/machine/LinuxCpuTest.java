package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.config.SyscallCosts;
import io.mcksim.linux.LinuxCpu;
import io.mcksim.workloads.Access;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Programs natively on a quiet Linux CPU of a node without McKernel: calls into Linux, memory demand-paged. */
class LinuxCpuTest {

  /** A node without McKernel running {@code p} natively on CPU 0, quiet. */
  static HybridModel node(Program p) {
    return LinuxNodes.of(new ScenarioLoader().defaults(), List.of(new HybridModel.NativeProcess(p, List.of(0))));
  }

  private static final SyscallCosts SYS = new ScenarioLoader().defaults().syscalls();
  private static final long PAGE = 4096;

  @Test
  void aNodeWithoutMcKernelHasOnlyItsNativeCpus() {
    Program p = Program.named("p").compute(1_000).exit(0).build();
    HybridModel node = LinuxNodes.of(new ScenarioLoader().defaults(), List.of(
        new HybridModel.NativeProcess(p, List.of(0)), new HybridModel.NativeProcess(p, List.of(2, 3))));
    assertThat(node.hasMcKernel()).isFalse();
    assertThat(node.entityCount()).isEqualTo(3);
    for (Wiring.Group g : node.wiring().groups()) {
      assertThat(g.count()).as(g.name()).isEqualTo(g.name().equals("native-cpu") ? 3 : 0);
    }
    new SequentialEngine().run(node, RunSpec.until(Long.MAX_VALUE / 4, 1));
    assertThat(node.nativePid(0)).isEqualTo(HybridModel.FIRST_PID);
    for (int k = 0; k < 3; k++) {
      assertThat(node.nativeCpu(k).exitTime()).isEqualTo(1_000);
    }
  }

  @Test
  void eachPageFaultsOnItsFirstTouchAndAgainAfterMunmap() {
    Program p = Program.named("pager")
        .syscall("mmap", SyscallArgs.region(0x4000_0000L, 8 * PAGE))
        .touch(0x4000_0000L, 8 * PAGE, Access.WRITE)       // 8 faults
        .touch(0x4000_0000L + 100, 2 * PAGE, Access.READ)  // mapped: nothing
        .syscall("munmap", SyscallArgs.region(0x4000_0000L, 4 * PAGE))
        .touch(0x4000_0000L, 8 * PAGE, Access.WRITE)       // the 4 given up fault again
        .exit(0).build();
    HybridModel node = node(p);
    new SequentialEngine().run(node, RunSpec.until(Long.MAX_VALUE / 4, 1));
    LinuxCpu cpu = node.nativeCpu(0);
    assertThat(cpu.pageFaults()).isEqualTo(12);
    assertThat(SYS.linuxPageFault()).isEqualTo(1_000);
    long calls = 2 * SYS.linuxEntry() + SYS.linux("mmap") + SYS.linux("munmap");
    assertThat(cpu.exitTime()).isEqualTo(calls + 12 * SYS.linuxPageFault());
    assertThat(cpu.exitStatus()).isZero();
  }

  @Test
  void aLinuxProcessReadingProcAndSysSeesLinuxsView() {
    Program p = Program.named("reader")
        .syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/sys/devices/system/cpu/online"))
        .syscall("read", SyscallArgs.fd(3).size(4096).buffer(0x10000))
        .syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/proc/meminfo"))
        .syscall("read", SyscallArgs.fd(4).size(4096).buffer(0x10000))
        .syscall("close", SyscallArgs.fd(3))
        .syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/etc/hosts"))
        .syscall("read", SyscallArgs.fd(3).size(4096).buffer(0x10000))  // a plain file: no view
        .exit(0).build();
    HybridModel node = node(p).withMachineView(68, 64L << 30);
    new SequentialEngine().run(node, RunSpec.until(Long.MAX_VALUE / 4, 1));
    LinuxCpu cpu = node.nativeCpu(0);
    // every CPU of the machine, and all its memory
    assertThat(cpu.view(io.mcksim.workloads.ProcView.File.CPU_ONLINE)).isEqualTo("0-67\n");
    assertThat(cpu.view(io.mcksim.workloads.ProcView.File.MEMINFO)).startsWith("MemTotal:       "
        + (64L << 20) + " kB\n");
    assertThat(cpu.viewReads()).isEqualTo(2);
    assertThat(cpu.viewBytes()).isEqualTo("0-67\n".length()
        + cpu.view(io.mcksim.workloads.ProcView.File.MEMINFO).length());
  }

  @Test
  void aCallKnownToFailOpensNoDescriptorAndUnmapsNothing() {
    Program p = Program.named("failing")
        .syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/etc/missing").errno(2))  // ENOENT
        .syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/proc/meminfo"))          // so fd 3
        .syscall("read", SyscallArgs.fd(3).size(4096).buffer(0x10000))
        .syscall("read", SyscallArgs.fd(3).size(4096).buffer(0x10000).errno(4))               // EINTR: no read
        .touch(0x4000_0000L, 2 * PAGE, Access.WRITE)
        .syscall("munmap", SyscallArgs.region(0x4000_0000L, 2 * PAGE).errno(22))              // EINVAL
        .touch(0x4000_0000L, 2 * PAGE, Access.WRITE)                                         // still mapped
        .exit(0).build();
    HybridModel node = node(p).withMachineView(4, 1L << 30);
    new SequentialEngine().run(node, RunSpec.until(Long.MAX_VALUE / 4, 1));
    LinuxCpu cpu = node.nativeCpu(0);
    assertThat(cpu.viewReads()).isEqualTo(1);
    assertThat(cpu.pageFaults()).isEqualTo(2);
    assertThat(cpu.latencies()).containsKeys("openat", "read", "munmap");
  }
}
