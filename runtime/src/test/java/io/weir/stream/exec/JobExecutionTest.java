package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobExecutionTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** Counts words of fixed lines with a keyed reduce; args: parallelism, result name. */
  public static final class Words implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(Integer.parseInt(args.get(0)));
      job.fromElements("to be or not to be", "that is the question", "to be")
          .<String>flatMap((line, out) -> {
            for (String w : line.split(" ")) {
              out.collect(w);
            }
          })
          .map(w -> Map.entry(w, 1L))
          .keyBy(Map.Entry::getKey)
          .reduce((a, b) -> Map.entry(a.getKey(), a.getValue() + b.getValue()))
          .sinkTo(new CollectSink<>(args.get(1)));
    }
  }

  @Test
  void wordCountFinishes() throws Exception {
    for (int p : new int[] {1, 2, 4}) {
      String name = "words-" + p;
      JobStatus status = kit.run(Words.class, String.valueOf(p), name);
      assertEquals(JobState.FINISHED, status.state(), status.summary());
      Map<String, Long> last = new TreeMap<>();
      for (Object o : CollectSink.results(name)) {
        @SuppressWarnings("unchecked")
        Map.Entry<String, Long> e = (Map.Entry<String, Long>) o;
        last.merge(e.getKey(), e.getValue(), Math::max);
      }
      assertEquals(Map.of("to", 3L, "be", 3L, "or", 1L, "not", 1L, "that", 1L, "is", 1L,
          "the", 1L, "question", 1L), last);
    }
  }
}
