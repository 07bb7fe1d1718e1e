package io.weir.stream.internal;

import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.JobDefinition;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Objects;

/**
 * Plans jobs: creates the definition, runs it on a fresh builder, validates what it built and
 * chains it into a {@link JobGraph}. Deterministic: the same definition class and arguments give
 * an equal job graph on every node. Pure apart from creating the definition; thread-safe.
 */
public final class JobPlanner {
  private JobPlanner() {}

  /**
   * Plans a job from its definition's class name, as the job master persists it.
   *
   * @param className a {@link JobDefinition} with a public no-argument constructor
   * @param args the job's arguments, never null
   * @param loader where to find the class, never null
   * @return the plan
   * @throws InvalidJobException when the class cannot be created, or the job is invalid
   */
  public static PlannedJob plan(String className, List<String> args, ClassLoader loader) {
    return plan(className, args, loader, null);
  }

  /**
   * Plans a job from its definition's class name with its default parallelism overridden (as
   * {@code --parallelism} does when a job is submitted from a savepoint to rescale it).
   *
   * @param className a {@link JobDefinition} with a public no-argument constructor
   * @param args the job's arguments, never null
   * @param loader where to find the class, never null
   * @param parallelism replaces the job's default parallelism, even one the definition set;
   *     an operator's own parallelism still wins; null for none
   * @return the plan
   * @throws InvalidJobException when the class cannot be created, or the job is invalid
   */
  public static PlannedJob plan(String className, List<String> args, ClassLoader loader,
      Integer parallelism) {
    Objects.requireNonNull(className, "className");
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      throw new InvalidJobException("job class '" + className + "' was not found", e);
    }
    if (!JobDefinition.class.isAssignableFrom(type)) {
      throw new InvalidJobException("job class '" + className + "' does not implement "
          + JobDefinition.class.getName());
    }
    try {
      return plan((JobDefinition) type.getConstructor().newInstance(), args, parallelism);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new InvalidJobException("job class '" + className
          + "' needs a public no-argument constructor", e);
    } catch (InstantiationException | InvocationTargetException e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      throw new InvalidJobException("job class '" + className + "' could not be created: "
          + cause, cause);
    }
  }

  /**
   * Plans a job from a definition instance.
   *
   * @param definition never null
   * @param args the job's arguments, never null, none null
   * @return the plan
   * @throws InvalidJobException when the job is invalid, listing every problem, or when the
   *     definition fails
   */
  public static PlannedJob plan(JobDefinition definition, List<String> args) {
    return plan(definition, args, null);
  }

  /**
   * Plans a job from a definition instance, with its default parallelism overridden.
   *
   * @param definition never null
   * @param args the job's arguments, never null, none null
   * @param parallelism replaces the job's default parallelism; null for none
   * @return the plan
   * @throws InvalidJobException when the job is invalid, or the definition fails
   */
  public static PlannedJob plan(JobDefinition definition, List<String> args,
      Integer parallelism) {
    String name = definition.getClass().getName();
    JobBuilderImpl builder = new JobBuilderImpl(name);
    builder.overrideParallelism(parallelism);
    try {
      definition.define(builder, List.copyOf(args));
    } catch (InvalidJobException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidJobException("job class '" + name + "' failed to define its job: " + e, e);
    }
    StreamGraph graph = builder.streamGraph();
    return new PlannedJob(graph, plan(graph));
  }

  /**
   * Validates a stream graph and chains it.
   *
   * @param graph never null
   * @return the job graph
   * @throws InvalidJobException listing every problem found
   */
  public static JobGraph plan(StreamGraph graph) {
    List<String> problems = GraphValidator.problems(graph);
    if (!problems.isEmpty()) {
      throw new InvalidJobException(problems);
    }
    return Chaining.plan(graph);
  }
}
