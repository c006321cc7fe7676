package io.mcksim.tests;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.conditions.ArchPredicates.is;
import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Random;

/**
 * House rules that code review alone would miss: model and engine code never read the wall clock,
 * never sleep and never draw unseeded randomness (docs/architecture.md, section 1.2); module dependencies point downward.
 */
@AnalyzeClasses(packages = "io.mcksim", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] CLOCK_ALLOWED = {"io.mcksim.cli..", "io.mcksim.bench.."};

  @ArchTest
  static final ArchRule noWallClockOutsideCliAndBench = noClasses()
      .that().resideOutsideOfPackages(CLOCK_ALLOWED)
      .should().callMethod(System.class, "currentTimeMillis")
      .orShould().callMethod(System.class, "nanoTime")
      .orShould().callMethodWhere(target(owner(is(describe("Thread",
          (JavaClass c) -> c.isEquivalentTo(Thread.class))))).and(target(name("sleep"))))
      .orShould().callConstructorWhere(target(owner(is(describe("java.util.Random",
          (JavaClass c) -> c.isEquivalentTo(Random.class))))))
      .orShould().callMethod(Math.class, "random")
      .because("model time is virtual and every random draw comes from a seeded stream");

  @ArchTest
  static final ArchRule configDependsOnNoOtherModule = noClasses()
      .that().resideInAPackage("io.mcksim.config..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.actors..", "io.mcksim.cli..");

  @ArchTest
  static final ArchRule engineDoesNotDependOnTheModelsOrTheCli = noClasses()
      .that().resideInAPackage("io.mcksim.actors..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.ihk..", "io.mcksim.cli..");

  @ArchTest
  static final ArchRule ihkDoesNotDependOnTheCli = noClasses()
      .that().resideInAPackage("io.mcksim.ihk..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.cli..");

  /** McKernel is built on IHK's interface ({@code ihk.Lwk}), never IHK on a lightweight kernel. */
  @ArchTest
  static final ArchRule ihkKnowsNoLightweightKernel = noClasses()
      .that().resideInAPackage("io.mcksim.ihk..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.mckernel..", "io.mcksim.linux..")
      .because("a lightweight kernel's CPUs and memory answer IHK's lifecycle messages, which IHK defines");

  @ArchTest
  static final ArchRule workloadsAreDataAndDependOnNoKernelModel = noClasses()
      .that().resideInAPackage("io.mcksim.workloads..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.mckernel..", "io.mcksim.linux..",
          "io.mcksim.ihk..", "io.mcksim.ikc..", "io.mcksim.cli..");

  /** The packages of the kernels' entities: IHK, IKC, Linux, McKernel. */
  static final String[] KERNELS = {"io.mcksim.ihk..", "io.mcksim.ikc..", "io.mcksim.linux..",
      "io.mcksim.mckernel.."};

  @ArchTest
  static final ArchRule kernelModelsDoNotDependOnTheMachineOrTheCli = noClasses()
      .that().resideInAnyPackage(KERNELS)
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.machine..", "io.mcksim.cli..")
      .because("the machine assembles nodes from the kernels' entities, never the other way round");

  /** The two kernels meet only over IKC: neither imports the other (Linux not IHK's node either). */
  @ArchTest
  static final ArchRule linuxKnowsMcKernelOnlyOverIkc = noClasses()
      .that().resideInAPackage("io.mcksim.linux..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.mckernel..", "io.mcksim.ihk..")
      .because("Linux and McKernel meet only over IKC (docs/architecture.md)");

  @ArchTest
  static final ArchRule mckernelKnowsLinuxOnlyOverIkc = noClasses()
      .that().resideInAPackage("io.mcksim.mckernel..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.linux..")
      .because("Linux and McKernel meet only over IKC (docs/architecture.md)");
}
