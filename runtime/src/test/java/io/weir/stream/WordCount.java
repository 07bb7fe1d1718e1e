package io.weir.stream;

import io.weir.stream.api.Collector;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.util.List;

/**
 * A test fixture: counts words, with the parallelism as its optional first argument. Uses only
 * the public API, as a user's job would.
 */
public final class WordCount implements JobDefinition {
  /** The words of these lines are counted. */
  public static final List<String> LINES = List.of("to be or not to be", "that is the question");

  @Override
  public void define(JobBuilder job, List<String> args) {
    job.setParallelism(parallelism(args));
    job.fromCollection(LINES)
        .<String>flatMap((line, out) -> {
          for (String word : line.split("\\s+")) {
            out.collect(word);
          }
        }).name("Tokenize")
        .filter(word -> !word.isEmpty()).name("Non-empty")
        .keyBy(word -> word)
        .process(new Count()).name("Count")
        .print().name("Print counts");
  }

  private static int parallelism(List<String> args) {
    if (args.isEmpty()) {
      return 2;
    }
    try {
      return Integer.parseInt(args.get(0));
    } catch (NumberFormatException e) {
      throw new InvalidJobException("WordCount's first argument is the parallelism, a whole"
          + " number; was '" + args.get(0) + "'");
    }
  }

  /** Emits "word=count" for every word, with the count so far in keyed state. */
  static final class Count implements KeyedProcessFunction<String, String, String> {
    private ValueState<Long> count;

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(ValueStateDescriptor.of("count", Long.class));
    }

    @Override
    public void processElement(String word, Context<String> ctx, Collector<String> out) {
      long next = count.value() == null ? 1 : count.value() + 1;
      count.update(next);
      out.collect(word + "=" + next);
    }
  }
}
