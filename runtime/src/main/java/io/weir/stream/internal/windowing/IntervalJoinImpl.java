package io.weir.stream.internal.windowing;

import io.weir.stream.api.DataStream;
import io.weir.stream.api.IntervalJoin;
import io.weir.stream.api.KeySelector;
import io.weir.stream.api.ProcessJoinFunction;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code left.intervalJoin(right)}: tags both streams, unites them, keys them by their key
 * selectors and runs an {@link IntervalJoinOperator}.
 *
 * @param left the left stream, before its keyBy
 * @param leftKey the left stream's key selector
 * @param right the right stream, before its keyBy
 * @param rightKey the right stream's key selector
 * @param <L> the left stream's elements
 * @param <R> the right stream's elements
 * @param <K> the key type
 */
public record IntervalJoinImpl<L, R, K>(DataStream<L> left, KeySelector<L, K> leftKey,
    DataStream<R> right, KeySelector<R, K> rightKey) implements IntervalJoin<L, R, K> {
  @Override
  public Between<L, R, K> between(Duration lower, Duration upper) {
    Objects.requireNonNull(lower, "lower bound");
    Objects.requireNonNull(upper, "upper bound");
    if (lower.compareTo(upper) > 0) {
      throw new IllegalArgumentException("an interval join's lower bound " + lower
          + " is after its upper bound " + upper);
    }
    return new Bounds<>(this, lower.toMillis(), upper.toMillis());
  }

  private record Bounds<L, R, K>(IntervalJoinImpl<L, R, K> join, long lower, long upper)
      implements Between<L, R, K> {
    @Override
    public Between<L, R, K> lowerBoundExclusive() {
      return new Bounds<>(join, lower + 1, upper);
    }

    @Override
    public Between<L, R, K> upperBoundExclusive() {
      return new Bounds<>(join, lower, upper - 1);
    }

    @Override
    public <O> DataStream<O> process(ProcessJoinFunction<L, R, O> function) {
      Objects.requireNonNull(function, "process join function");
      DataStream<Tagged> l = join.left.map(v -> new Tagged(0, v)).name("Interval Join: tag left");
      DataStream<Tagged> r = join.right.map(v -> new Tagged(1, v))
          .name("Interval Join: tag right");
      return l.union(r).keyBy(TaggedKeySelector.of(join.leftKey, join.rightKey))
          .process(new IntervalJoinOperator<K, L, R, O>(lower, upper, function))
          .name("Interval Join");
    }
  }
}
