package io.weir.stream.api;

import java.util.List;

/**
 * A streaming job, defined by code: the job's graph is built by {@link #define}.
 *
 * <p>An implementation is a public class with a public no-argument constructor. The job master
 * persists only its class name and the arguments; every node that hosts a part of the job
 * creates the class again and calls {@link #define} with the same arguments, so the method must
 * be deterministic: the same arguments must build the same graph, in the same order, with the
 * same names. Functions and lambdas handed to the builder are never serialized and never travel
 * between nodes.
 *
 * <p>{@code define} must not start threads, open connections or read data; it only describes.
 */
public interface JobDefinition {
  /**
   * Describes the job on {@code job}.
   *
   * @param job the builder to add sources, operators and sinks to, never null
   * @param args the job's arguments as given when it was submitted, never null, unmodifiable
   * @throws InvalidJobException when the arguments are unusable, naming the argument
   */
  void define(JobBuilder job, List<String> args);

  /**
   * The arguments as shown to people ({@code weir job list} and {@code status}): a definition
   * whose arguments hold secrets, such as a database password, replaces them here. The job
   * itself always gets the arguments as given.
   *
   * @param args the job's arguments, never null
   * @return what to show instead, of the same length; the arguments themselves by default
   */
  default List<String> redact(List<String> args) {
    return args;
  }
}
