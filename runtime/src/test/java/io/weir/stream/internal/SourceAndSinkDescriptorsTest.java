package io.weir.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.weir.log.api.ProducerRecord;
import io.weir.log.api.StartPosition;
import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sources and sinks are only described in this slice: the stream graph keeps what was given. */
class SourceAndSinkDescriptorsTest {
  @Test
  void aLogToLogJobKeepsTopicsAndStartPositions() {
    JobBuilderImpl job = new JobBuilderImpl("copy");
    job.fromLog("orders", StartPosition.earliest()).map(r -> r.valueString()).toLog("copies");
    StreamGraph graph = job.streamGraph();

    assertEquals(new SourceSpec.Log("orders", StartPosition.earliest(), null),
        graph.node(0).operator());
    assertEquals("Source: Log orders", graph.node(0).name());
    SinkSpec.Log sink = assertInstanceOf(SinkSpec.Log.class, graph.node(2).operator());
    assertEquals("copies", sink.topic());
    @SuppressWarnings("unchecked")
    ProducerRecord record = ((io.weir.stream.api.LogRecordSerializer<String>) sink.serializer())
        .serialize("hello", "copies");
    assertEquals("hello", new String(record.value(), StandardCharsets.UTF_8));
    assertEquals(List.of(List.of("Source: Log orders", "Map", "Sink: Log copies")),
        JobPlanner.plan(graph).vertices().stream().map(JobVertex::operatorNames).toList());
  }

  @Test
  void aTwoPhaseCommitSinkIsKeptAsGiven() {
    TwoPhaseCommitSink<String, String> sink = new TwoPhaseCommitSink<>() {
      @Override
      public PrecommittingSinkWriter<String, String> createWriter(SinkContext context) {
        throw new UnsupportedOperationException("not run in this test");
      }

      @Override
      public Committer<String> createCommitter(SinkContext context) {
        throw new UnsupportedOperationException("not run in this test");
      }

      @Override
      public Class<String> committableType() {
        return String.class;
      }
    };
    JobBuilderImpl job = new JobBuilderImpl("exactly-once");
    job.fromElements("a", "b").sinkTo(sink).name("Staged");

    StreamNode node = job.streamGraph().node(1);
    assertEquals("Staged", node.name());
    assertSame(sink, assertInstanceOf(SinkSpec.Connector.class, node.operator()).sink());
  }
}
