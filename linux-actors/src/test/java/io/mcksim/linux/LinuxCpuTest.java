package io.mcksim.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.config.SyscallCosts;
import io.mcksim.workloads.Access;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Programs natively on a quiet Linux CPU: calls into Linux, memory demand-paged. */
class LinuxCpuTest {

  private static final SyscallCosts SYS = new ScenarioLoader().defaults().syscalls();
  private static final long PAGE = 4096;

  @Test
  void eachPageFaultsOnItsFirstTouchAndAgainAfterMunmap() {
    Program p = Program.named("pager")
        .syscall("mmap", SyscallArgs.region(0x4000_0000L, 8 * PAGE))
        .touch(0x4000_0000L, 8 * PAGE, Access.WRITE)       // 8 faults
        .touch(0x4000_0000L + 100, 2 * PAGE, Access.READ)  // mapped: nothing
        .syscall("munmap", SyscallArgs.region(0x4000_0000L, 4 * PAGE))
        .touch(0x4000_0000L, 8 * PAGE, Access.WRITE)       // the 4 given up fault again
        .exit(0).build();
    LinuxNode node = new LinuxNode(List.of(p), SYS, "none", 1);
    new SequentialEngine().run(node, RunSpec.until(Long.MAX_VALUE / 4, 1));
    LinuxCpu cpu = node.cpu(0);
    assertThat(cpu.pageFaults()).isEqualTo(12);
    assertThat(SYS.linuxPageFault()).isEqualTo(1_000);
    long calls = 2 * SYS.linuxEntry() + SYS.linux("mmap") + SYS.linux("munmap");
    assertThat(cpu.exitTime()).isEqualTo(calls + 12 * SYS.linuxPageFault());
    assertThat(cpu.exitStatus()).isZero();
  }
}
