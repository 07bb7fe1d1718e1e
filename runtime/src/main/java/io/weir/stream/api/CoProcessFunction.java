package io.weir.stream.api;

/**
 * A function over two connected inputs, one method per input; the subtask calls them one at a
 * time from its thread, so state in fields needs no locks.
 *
 * @param <A> the first input's type
 * @param <B> the second input's type
 * @param <O> the main output type
 */
public interface CoProcessFunction<A, B, O> extends RichFunction {
  /**
   * Processes an element of the first input.
   *
   * @param value never null
   * @param ctx the element's context; valid only during this call
   * @param out the main output; valid only during this call
   * @throws Exception any failure, which fails the job
   */
  void processElement1(A value, ProcessFunction.Context ctx, Collector<O> out) throws Exception;

  /**
   * Processes an element of the second input.
   *
   * @param value never null
   * @param ctx the element's context; valid only during this call
   * @param out the main output; valid only during this call
   * @throws Exception any failure, which fails the job
   */
  void processElement2(B value, ProcessFunction.Context ctx, Collector<O> out) throws Exception;
}
