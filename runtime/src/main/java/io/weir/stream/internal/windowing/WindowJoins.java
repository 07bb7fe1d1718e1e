package io.weir.stream.internal.windowing;

import io.weir.stream.api.CoGroupFunction;
import io.weir.stream.api.Collector;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.JoinFunction;
import io.weir.stream.api.KeySelector;
import io.weir.stream.api.windowing.CoGroupedStreams;
import io.weir.stream.api.windowing.JoinedStreams;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.Trigger;
import io.weir.stream.api.windowing.Window;
import io.weir.stream.api.windowing.WindowAssigner;
import io.weir.stream.api.windowing.WindowedStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Window joins and co-groups, built from public pieces: each stream is mapped to
 * {@link Tagged}, the two are united, keyed by their key selectors and windowed, and a process
 * window function splits each window's elements by side. One builder class serves both APIs.
 */
public final class WindowJoins {
  private WindowJoins() {}

  /** The first step of {@code first.join(second)}. */
  public static <T1, T2> JoinedStreams<T1, T2> join(DataStream<T1> first, DataStream<T2> second) {
    return new Streams<>(first, second);
  }

  /** The first step of {@code first.coGroup(second)}. */
  public static <T1, T2> CoGroupedStreams<T1, T2> coGroup(DataStream<T1> first,
      DataStream<T2> second) {
    return new Streams<>(first, second);
  }

  /**
   * The window function of a co-group: splits a window's tagged elements by side.
   *
   * @param function never null
   * @return a process window function over tagged elements
   */
  public static <T1, T2, O, K, W extends Window> ProcessWindowFunction<Tagged, O, K, W>
      coGroupWindowFunction(CoGroupFunction<T1, T2, O> function) {
    return new SplitBySide<>(Objects.requireNonNull(function, "co-group function"));
  }

  /**
   * The co-group function of an inner join: every pair of the two sides.
   *
   * @param function never null
   * @return a co-group function
   */
  public static <T1, T2, O> CoGroupFunction<T1, T2, O> pairs(JoinFunction<T1, T2, O> function) {
    Objects.requireNonNull(function, "join function");
    return (lefts, rights, out) -> {
      for (T1 l : lefts) {
        for (T2 r : rights) {
          out.collect(function.join(l, r));
        }
      }
    };
  }

  private record Streams<T1, T2>(DataStream<T1> first, DataStream<T2> second)
      implements JoinedStreams<T1, T2>, CoGroupedStreams<T1, T2> {
    @Override
    public <K> Keys<T1, T2, K> where(KeySelector<T1, K> keySelector) {
      return new Keys<>(this, Objects.requireNonNull(keySelector, "where key selector"), null);
    }
  }

  private record Keys<T1, T2, K>(Streams<T1, T2> streams, KeySelector<T1, K> first,
      KeySelector<T2, K> second) implements JoinedStreams.Where<T1, T2, K>,
      JoinedStreams.EqualTo<T1, T2, K>, CoGroupedStreams.Where<T1, T2, K>,
      CoGroupedStreams.EqualTo<T1, T2, K> {
    @Override
    public Keys<T1, T2, K> equalTo(KeySelector<T2, K> keySelector) {
      return new Keys<>(streams, first, Objects.requireNonNull(keySelector,
          "equalTo key selector"));
    }

    @Override
    public <W extends Window> Windowed<T1, T2, K, W> window(WindowAssigner<Object, W> assigner) {
      return new Windowed<>(this, Objects.requireNonNull(assigner, "window assigner"), null,
          Duration.ZERO);
    }
  }

  private record Windowed<T1, T2, K, W extends Window>(Keys<T1, T2, K> keys,
      WindowAssigner<Object, W> assigner, Trigger<Object, ? super W> trigger, Duration lateness)
      implements JoinedStreams.WithWindow<T1, T2, K, W>,
      CoGroupedStreams.WithWindow<T1, T2, K, W> {
    @Override
    public Windowed<T1, T2, K, W> trigger(Trigger<Object, ? super W> newTrigger) {
      return new Windowed<>(keys, assigner, Objects.requireNonNull(newTrigger, "trigger"),
          lateness);
    }

    @Override
    public Windowed<T1, T2, K, W> allowedLateness(Duration newLateness) {
      return new Windowed<>(keys, assigner, trigger, Objects.requireNonNull(newLateness,
          "lateness"));
    }

    @Override
    public <O> DataStream<O> apply(JoinFunction<T1, T2, O> function) {
      Objects.requireNonNull(function, "join function");
      return run("Window Join", pairs(function));
    }

    @Override
    public <O> DataStream<O> apply(CoGroupFunction<T1, T2, O> function) {
      return run("Window CoGroup", Objects.requireNonNull(function, "co-group function"));
    }

    private <O> DataStream<O> run(String name, CoGroupFunction<T1, T2, O> function) {
      if (keys.second == null) {
        throw new IllegalStateException("equalTo(...) must come before window(...)");
      }
      DataStream<Tagged> left = keys.streams.first().map(v -> new Tagged(0, v))
          .name(name + ": tag first");
      DataStream<Tagged> right = keys.streams.second().map(v -> new Tagged(1, v))
          .name(name + ": tag second");
      WindowedStream<Tagged, K, W> windowed = left.union(right)
          .keyBy(TaggedKeySelector.of(keys.first, keys.second)).window(assigner);
      if (trigger != null) {
        windowed = windowed.trigger(trigger);
      }
      return windowed.allowedLateness(lateness)
          .process(WindowJoins.<T1, T2, O, K, W>coGroupWindowFunction(function)).name(name);
    }
  }

  /** Splits a window's tagged elements by side for a co-group function. */
  private record SplitBySide<K, W extends Window, T1, T2, O>(CoGroupFunction<T1, T2, O> function)
      implements ProcessWindowFunction<Tagged, O, K, W> {
    @Override
    @SuppressWarnings("unchecked") // The side says which stream a value came from.
    public void process(K key, Context<W> context, Iterable<Tagged> elements, Collector<O> out)
        throws Exception {
      List<T1> lefts = new ArrayList<>();
      List<T2> rights = new ArrayList<>();
      for (Tagged t : elements) {
        if (t.side() == 0) {
          lefts.add((T1) t.value());
        } else {
          rights.add((T2) t.value());
        }
      }
      function.coGroup(lefts, rights, out);
    }
  }
}
