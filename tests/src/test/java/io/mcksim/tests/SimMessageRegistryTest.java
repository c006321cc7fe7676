package io.mcksim.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.typesafe.config.ConfigFactory;
import io.mcksim.actors.serialization.KryoRegistry;
import io.mcksim.actors.serialization.SimMessage;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every message class that can cross a JVM (every {@link SimMessage} that is not private to its entity)
 * has its fixed id in the Kryo table every JVM builds from the modules' reference.conf, so no run can
 * meet an unregistered one.
 */
class SimMessageRegistryTest {

  @Test
  void everySimMessageClassIsInTheTableTheReferenceConfigurationBuilds() {
    KryoRegistry registry = KryoRegistry.fromConfig(ConfigFactory.load(), getClass().getClassLoader());
    Set<Class<?>> registered = registry.entries().stream().map(KryoRegistry.Entry::type)
        .collect(Collectors.toSet());
    List<String> missing = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.mcksim").stream()
        // a private message is an entity's note to itself: it never leaves its entity, so never its JVM
        .filter(c -> c.isAssignableTo(SimMessage.class) && !c.isInterface()
            && !c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PRIVATE))
        .map(JavaClass::reflect)
        .filter(c -> !registered.contains(c))
        .map(Class::getName).sorted().toList();
    assertThat(missing).as("SimMessage classes without a Kryo id (add them to their module's registrar)")
        .isEmpty();
  }
}
