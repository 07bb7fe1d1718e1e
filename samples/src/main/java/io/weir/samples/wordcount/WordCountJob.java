package io.weir.samples.wordcount;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.StartPosition;
import io.weir.stream.api.Collector;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.util.List;
import java.util.Locale;

/**
 * The classic streaming word count, as a Weir job: reads lines from a log topic, splits them
 * into words, counts each word in keyed state and appends every new count to another topic.
 *
 * <p>Arguments: {@code INPUT-TOPIC OUTPUT-TOPIC [PARALLELISM]} (parallelism default 1). Both
 * topics must exist when the job starts. The input is read from its earliest offset on, for
 * ever: the job is unbounded and runs until it is canceled. Words are the runs of letters and
 * digits of each line's value, lower-cased. For every word read, the job appends one record to
 * the output topic: its key is the word, its value {@code "word count"}, the word's count so far
 * (so the latest record of a key is the current count; a compacted output topic keeps just
 * that).
 *
 * <pre>
 * ./weir topic create lines
 * ./weir topic create word-counts
 * printf 'to be or not to be\n' | ./weir produce lines
 * ./weir job submit io.weir.samples.wordcount.WordCountJob lines word-counts
 * ./weir consume word-counts --from-beginning --print-key     # from another terminal
 * </pre>
 *
 * <p>Until checkpoints land, a job restarted (by a node restart) reads its input again from
 * the beginning with empty state, so its counts start again from zero.
 */
public final class WordCountJob implements JobDefinition {
  /** Creates the definition; the runtime calls this on every node that runs the job. */
  public WordCountJob() {}

  @Override
  public void define(JobBuilder job, List<String> args) {
    if (args.size() < 2 || args.size() > 3) {
      throw new InvalidJobException("WordCountJob takes INPUT-TOPIC OUTPUT-TOPIC [PARALLELISM];"
          + " was given " + args);
    }
    String output = args.get(1);
    job.setParallelism(args.size() == 3 ? parallelism(args.get(2)) : 1);
    job.fromLog(args.get(0), StartPosition.earliest()).name("Read lines")
        .<String>flatMap(WordCountJob::words).name("Split")
        .keyBy(word -> word)
        .process(new Count()).name("Count")
        .toLog(output, (WordCount c, String topic) ->
            ProducerRecord.of(topic, c.word(), c.word() + " " + c.count())).name("Write counts");
  }

  /** The words of a record's value: runs of letters and digits, lower-cased. */
  static void words(ConsumerRecord line, Collector<String> out) {
    String value = line.valueString();
    if (value == null) {
      return;
    }
    for (String word : value.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        out.collect(word);
      }
    }
  }

  private static int parallelism(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidJobException("WordCountJob's PARALLELISM must be a whole number; was '"
          + text + "'");
    }
  }

  /**
   * A word and how often it was seen so far.
   *
   * @param word never null
   * @param count at least 1
   */
  public record WordCount(String word, long count) {}

  /** Counts per word: the count so far lives in a {@code ValueState<Long>} of the word's key. */
  static final class Count implements KeyedProcessFunction<String, String, WordCount> {
    private ValueState<Long> count;

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(ValueStateDescriptor.of("count", Long.class));
    }

    @Override
    public void processElement(String word, Context<String> ctx, Collector<WordCount> out) {
      Long before = count.value();
      long now = before == null ? 1 : before + 1;
      count.update(now);
      out.collect(new WordCount(word, now));
    }
  }
}
