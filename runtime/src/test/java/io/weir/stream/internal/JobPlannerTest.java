package io.weir.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.stream.WordCount;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobPlannerTest {
  private static final ClassLoader LOADER = JobPlannerTest.class.getClassLoader();

  @Test
  void theSameDefinitionAndArgumentsGiveAnEqualPlan() {
    JobGraph first = JobPlanner.plan(new WordCount(), List.of("3")).jobGraph();
    JobGraph second = JobPlanner.plan(WordCount.class.getName(), List.of("3"), LOADER)
        .jobGraph();

    assertEquals(first, second);
    assertEquals(first.hashCode(), second.hashCode());
    assertEquals(List.of("0-source-elements", "1-tokenize", "3-count"),
        first.vertices().stream().map(JobVertex::id).toList());
    assertEquals(List.of(1, 3, 3),
        first.vertices().stream().map(JobVertex::parallelism).toList());
    assertEquals(List.of(Partitioning.REBALANCE, Partitioning.HASH),
        first.edges().stream().map(JobEdge::partitioning).toList());
    assertEquals(WordCount.class.getName(), first.jobName());
  }

  @Test
  void otherArgumentsGiveAnotherPlan() {
    assertNotEquals(JobPlanner.plan(new WordCount(), List.of("2")).jobGraph(),
        JobPlanner.plan(new WordCount(), List.of("4")).jobGraph());
  }

  @Test
  void aDefinitionRejectingItsArgumentsSaysWhy() {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> JobPlanner.plan(new WordCount(), List.of("many")));
    assertEquals("WordCount's first argument is the parallelism, a whole number; was 'many'",
        e.getMessage());
  }

  @Test
  void aDefinitionThatFailsIsReportedWithItsCause() {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> JobPlanner.plan(new Failing(), List.of()));
    assertEquals("job class '" + Failing.class.getName() + "' failed to define its job:"
        + " java.lang.IllegalStateException: no config", e.getMessage());
  }

  @Test
  void aJobClassThatCannotBeCreated() {
    assertEquals("job class 'no.such.Job' was not found", assertThrows(
        InvalidJobException.class, () -> JobPlanner.plan("no.such.Job", List.of(), LOADER))
        .getMessage());
    assertEquals("job class 'java.lang.String' does not implement "
        + JobDefinition.class.getName(), assertThrows(InvalidJobException.class,
        () -> JobPlanner.plan("java.lang.String", List.of(), LOADER)).getMessage());
    assertEquals("job class '" + NoDefaultConstructor.class.getName() + "' needs a public"
        + " no-argument constructor", assertThrows(InvalidJobException.class,
        () -> JobPlanner.plan(NoDefaultConstructor.class.getName(), List.of(), LOADER))
        .getMessage());
  }

  /** A definition that throws. */
  public static final class Failing implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      throw new IllegalStateException("no config");
    }
  }

  /** A definition without a no-argument constructor. */
  public static final class NoDefaultConstructor implements JobDefinition {
    /** Needs an argument. */
    public NoDefaultConstructor(String unused) {}

    @Override
    public void define(JobBuilder job, List<String> args) {}
  }
}
