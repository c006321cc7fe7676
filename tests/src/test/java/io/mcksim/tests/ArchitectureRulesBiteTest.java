package io.mcksim.tests;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.mcksim.linux.planted.ReachesIntoMcKernel;
import io.mcksim.mckernel.planted.ReachesIntoLinux;
import io.mcksim.mckernel.plantedmachine.ReachesIntoTheMachine;
import org.junit.jupiter.api.Test;

/**
 * The module rules of {@link ArchitectureTest} fail on a planted violation: each rule is checked against
 * a test-only class that breaks it, so a rule that has stopped matching anything is caught.
 */
class ArchitectureRulesBiteTest {

  private static JavaClasses only(Class<?> planted) {
    return new ClassFileImporter().importClasses(planted);
  }

  @Test
  void mckernelCodeThatUsesALinuxEntityIsRefused() {
    assertThatThrownBy(() -> ArchitectureTest.mckernelKnowsLinuxOnlyOverIkc.check(only(ReachesIntoLinux.class)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("ReachesIntoLinux")
        .hasMessageContaining("io.mcksim.linux.LinuxService");
  }

  @Test
  void linuxCodeThatUsesAMcKernelEntityIsRefused() {
    assertThatThrownBy(() -> ArchitectureTest.linuxKnowsMcKernelOnlyOverIkc.check(only(ReachesIntoMcKernel.class)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("ReachesIntoMcKernel")
        .hasMessageContaining("io.mcksim.mckernel.McKernelCpu");
  }

  @Test
  void aKernelThatUsesTheMachineIsRefused() {
    assertThatThrownBy(() -> ArchitectureTest.kernelModelsDoNotDependOnTheMachineOrTheCli
        .check(only(ReachesIntoTheMachine.class)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("io.mcksim.machine.HybridModel");
  }
}
