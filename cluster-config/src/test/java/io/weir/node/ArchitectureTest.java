package io.weir.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import io.weir.Weir;
import io.weir.node.WeirNode;
import io.weir.node.archfixture.api.LeakyApi;
import io.weir.node.archfixture.internal.Hidden;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Architecture rules over every io.weir class on this module's test class path (this module
 * sees runtime, connectors and lakehouse). Test classes are left out: a test may reach into
 * internals, and the fixtures in {@code io.weir.node.archfixture} break the rule on purpose.
 */
class ArchitectureTest {
  /** Public API packages must not expose or use implementation packages. */
  static final ArchRule API_DOES_NOT_DEPEND_ON_INTERNAL = ArchRuleDefinition.classes()
      .that().resideInAPackage("io.weir..api..")
      .should(notDependOnInternalClasses())
      .because("an api package is the public contract; implementations live in internal")
      .allowEmptyShould(true);

  private static JavaClasses production;

  @BeforeAll
  static void importClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.weir");
  }

  @Test
  void importSeesTheModulesOnTheClassPath() {
    assertTrue(production.contain(Weir.class), "runtime's classes were not imported");
    assertTrue(production.contain(WeirNode.class), "cluster-config's classes were not imported");
    assertFalse(production.contain(LeakyApi.class), "test classes must not be imported");
  }

  @Test
  void apiPackagesDoNotDependOnInternalPackages() {
    API_DOES_NOT_DEPEND_ON_INTERNAL.check(production);
  }

  @Test
  void theRuleReportsAnApiThatExposesAnInternalClass() {
    EvaluationResult result = API_DOES_NOT_DEPEND_ON_INTERNAL.evaluate(
        new ClassFileImporter().importClasses(LeakyApi.class, Hidden.class));
    assertTrue(result.hasViolation(), "the rule missed a known violation");
    assertTrue(result.getFailureReport().toString().contains(Hidden.class.getName()),
        result.getFailureReport().toString());
  }

  private static ArchCondition<JavaClass> notDependOnInternalClasses() {
    return new ArchCondition<>("not depend on classes in an internal package") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass();
          boolean internal = target.getPackageName().startsWith("io.weir.")
              && ("." + target.getPackageName() + ".").contains(".internal.");
          if (internal) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }
}
