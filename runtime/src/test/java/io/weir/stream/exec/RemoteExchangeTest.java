package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exchanges through StreamRefs, as between nodes, with every actor message of the job's
 * deployment serialized and read back (Pekko's {@code serialize-messages}), including the
 * channel offers that carry the SinkRefs. Pekko does not verify the StreamRefs' own element
 * messages that way; {@link StreamElementSerializationTest} round-trips the batches.
 */
class RemoteExchangeTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("""
        weir.stream.remote-exchanges-only = on
        pekko.actor.serialize-messages = on
        """);
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void wordCountThroughStreamRefs() throws Exception {
    JobStatus status = kit.run(JobExecutionTest.Words.class, "2", "remote-words");
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    Map<String, Long> last = new TreeMap<>();
    for (Object o : CollectSink.results("remote-words")) {
      @SuppressWarnings("unchecked")
      Map.Entry<String, Long> e = (Map.Entry<String, Long>) o;
      last.merge(e.getKey(), e.getValue(), Math::max);
    }
    assertEquals(3L, last.get("to"));
    assertEquals(3L, last.get("be"));
    assertEquals(8, last.size());
  }
}
