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

  @ArchTest
  static final ArchRule workloadsAreDataAndDependOnNoKernelModel = noClasses()
      .that().resideInAPackage("io.mcksim.workloads..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.mckernel..", "io.mcksim.linux..",
          "io.mcksim.ihk..", "io.mcksim.ikc..", "io.mcksim.cli..");

  @ArchTest
  static final ArchRule kernelModelsDoNotDependOnTheCli = noClasses()
      .that().resideInAnyPackage("io.mcksim.mckernel..", "io.mcksim.linux..", "io.mcksim.ikc..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.cli..");

  @ArchTest
  static final ArchRule linuxKnowsMcKernelOnlyThroughIkcAndEntityIds = noClasses()
      .that().resideInAPackage("io.mcksim.linux..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mcksim.mckernel..", "io.mcksim.ihk..");
}
