package io.weir.stream.internal.windowing;

import io.weir.stream.api.AggregateFunction;
import io.weir.stream.api.Collector;
import io.weir.stream.api.ReduceFunction;
import io.weir.stream.api.RichFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a window keeps per key and window (its accumulator {@code A}) and how it turns that into
 * results: all elements for a process function, one reduced value, or an aggregate's
 * accumulator, optionally handed to a process function. Accumulators are kept by reference in
 * heap state; they are changed in place and stored again.
 *
 * @param <I> the elements added
 * @param <A> the accumulator
 * @param <O> the results
 * @param <K> the key type
 * @param <W> the window type
 */
public abstract class WindowContents<I, A, O, K, W extends Window> implements RichFunction {
  private final RichFunction rich;

  private WindowContents(RichFunction rich) {
    this.rich = rich;
  }

  /** Adds an element to an accumulator, null for a window without one yet. */
  abstract A add(A accumulator, I value) throws Exception;

  /** Merges two accumulators of merging windows. */
  abstract A merge(A a, A b) throws Exception;

  /** Emits the results of one firing. */
  abstract void emit(K key, A accumulator, ProcessWindowFunction.Context<W> ctx, Collector<O> out)
      throws Exception;

  /** Opens the process function, if any. */
  @Override
  public void open(RuntimeContext context) throws Exception {
    if (rich != null) {
      rich.open(context);
    }
  }

  /** Closes the process function, if any. */
  @Override
  public void close() throws Exception {
    if (rich != null) {
      rich.close();
    }
  }

  /** Keeps every element and hands them to {@code function}. */
  public static <I, O, K, W extends Window> WindowContents<I, List<I>, O, K, W> elements(
      ProcessWindowFunction<I, O, K, W> function) {
    Objects.requireNonNull(function, "the process window function");
    return new WindowContents<>(function) {
      @Override
      List<I> add(List<I> accumulator, I value) {
        List<I> list = accumulator == null ? new ArrayList<>() : accumulator;
        list.add(value);
        return list;
      }

      @Override
      List<I> merge(List<I> a, List<I> b) {
        List<I> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
      }

      @Override
      void emit(K key, List<I> elements, ProcessWindowFunction.Context<W> ctx, Collector<O> out)
          throws Exception {
        function.process(key, ctx, elements, out);
      }
    };
  }

  /** Reduces incrementally; emits the value, or hands it to {@code function} when not null. */
  public static <I, O, K, W extends Window> WindowContents<I, I, O, K, W> reduce(
      ReduceFunction<I> reducer, ProcessWindowFunction<I, O, K, W> function) {
    Objects.requireNonNull(reducer, "the reduce function");
    return new WindowContents<>(function) {
      @Override
      I add(I accumulator, I value) throws Exception {
        return accumulator == null ? value : checked(reducer.reduce(accumulator, value));
      }

      @Override
      I merge(I a, I b) throws Exception {
        return checked(reducer.reduce(a, b));
      }

      @Override
      @SuppressWarnings("unchecked") // Without a function, O is I.
      void emit(K key, I value, ProcessWindowFunction.Context<W> ctx, Collector<O> out)
          throws Exception {
        if (function == null) {
          out.collect((O) value);
        } else {
          function.process(key, ctx, List.of(value), out);
        }
      }
    };
  }

  /** Aggregates incrementally; emits the result, or hands it to {@code function}. */
  public static <I, A, V, O, K, W extends Window> WindowContents<I, A, O, K, W> aggregate(
      AggregateFunction<I, A, V> aggregate, ProcessWindowFunction<V, O, K, W> function) {
    Objects.requireNonNull(aggregate, "the aggregate function");
    return new WindowContents<>(function) {
      @Override
      A add(A accumulator, I value) {
        A acc = accumulator == null ? checked(aggregate.createAccumulator()) : accumulator;
        return checked(aggregate.add(value, acc));
      }

      @Override
      A merge(A a, A b) {
        return checked(aggregate.merge(a, b));
      }

      @Override
      @SuppressWarnings("unchecked") // Without a function, O is V.
      void emit(K key, A accumulator, ProcessWindowFunction.Context<W> ctx, Collector<O> out)
          throws Exception {
        V result = checked(aggregate.getResult(accumulator));
        if (function == null) {
          out.collect((O) result);
        } else {
          function.process(key, ctx, List.of(result), out);
        }
      }
    };
  }

  private static <X> X checked(X value) {
    if (value == null) {
      throw new NullPointerException("a window's reduce or aggregate function returned null");
    }
    return value;
  }
}
