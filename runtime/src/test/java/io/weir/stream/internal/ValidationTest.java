package io.weir.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.stream.api.DataStream;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.KeySelector;
import io.weir.stream.api.MapFunction;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ValidationTest {
  private static List<String> problems(Consumer<JobBuilderImpl> definition) {
    JobBuilderImpl job = new JobBuilderImpl("test");
    definition.accept(job);
    return assertThrows(InvalidJobException.class, () -> JobPlanner.plan(job.streamGraph()))
        .problems();
  }

  private static StreamNode node(int id, OperatorKind kind, String name) {
    Object operator = switch (kind) {
      case SOURCE -> new SourceSpec.Elements(List.of(1));
      case SINK -> new SinkSpec.Print();
      default -> (MapFunction<Object, Object>) x -> x;
    };
    return new StreamNode(id, kind, name, null, ChainingStrategy.ALWAYS, false, operator);
  }

  private static StreamEdge forward(int index, int from, int to) {
    return new StreamEdge(index, from, to, 0, Partitioning.FORWARD, null, null);
  }

  @Test
  void aCycleIsReportedAsAPath() {
    StreamGraph graph = new StreamGraph("cyclic", 128, 1, true,
        List.of(node(0, OperatorKind.SOURCE, "In"), node(1, OperatorKind.MAP, "A"),
            node(2, OperatorKind.MAP, "B"), node(3, OperatorKind.SINK, "Out")),
        List.of(forward(0, 0, 1), forward(1, 1, 2), forward(2, 2, 1), forward(3, 2, 3)));

    InvalidJobException e = assertThrows(InvalidJobException.class, () -> JobPlanner.plan(graph));

    assertEquals("the job graph has a cycle: operator 1 'A' -> operator 2 'B' -> operator 1 'A'",
        e.getMessage());
  }

  @Test
  void parallelismBelowOneOrAboveMaxParallelism() {
    assertEquals(List.of("the parallelism of operator 1 'Map' must be at least 1, was 0"),
        problems(job -> job.generate(i -> i, 1).map(i -> i).setParallelism(0).print()));
    assertEquals(List.of("the parallelism of operator 1 'Sink: Print' is 9, greater than the max"
            + " parallelism 8 (the number of key groups); raise it with setMaxParallelism"),
        problems(job -> job.setMaxParallelism(8).generate(i -> i, 1).print().setParallelism(9)));
    assertEquals(List.of("the job's default parallelism must be at least 1, was -2"),
        problems(job -> job.setParallelism(-2).generate(i -> i, 1).print()));
    assertEquals(List.of("the job's max parallelism must be from 1 to 32768, was 40000"),
        problems(job -> job.setMaxParallelism(40000).generate(i -> i, 1).print()));
    assertEquals(List.of("operator 0 'Source: Elements' is a non-parallel source: its"
            + " parallelism must be 1, was 3"),
        problems(job -> job.fromElements(1).setParallelism(3).print()));
  }

  @Test
  void anOperatorWhoseOutputReachesNoSinkIsDangling() {
    assertEquals(List.of("operator 2 'Unused' is dangling: its output reaches no sink; end the"
            + " stream with sinkTo, toLog or print or remove it"),
        problems(job -> {
          DataStream<Long> numbers = job.generate(i -> i, 1);
          numbers.print();
          numbers.map(i -> i).name("Unused");
        }));
  }

  @Test
  void aJobWithoutSinkOrOperators() {
    assertEquals(List.of("the job has no sink: end the stream with sinkTo, toLog or print"),
        problems(job -> job.generate(i -> i, 1).map(i -> i)));
    assertEquals(List.of("the job defines no operators: add a source and end the stream with"
        + " sinkTo, toLog or print"), problems(job -> { }));
  }

  @Test
  void aNullKeySelectorOrFunction() {
    assertEquals(List.of("the keyBy before operator 1 'Reduce' was given a null key selector"),
        problems(job -> job.generate(i -> i, 1).keyBy((KeySelector<Long, Long>) null)
            .reduce(Long::sum).print()));
    assertEquals(List.of("operator 1 'Map' was given null instead of its function"),
        problems(job -> job.generate(i -> i, 1).map((MapFunction<Long, Long>) null).print()));
    assertEquals(List.of("operator 0 'Broken' was given null instead of its source",
            "operator 1 'Sink' was given null instead of its sink"),
        problems(job -> job.<Long>fromSource(null, "Broken").sinkTo(null)));
  }

  @Test
  void aSideOutputOfAnOperatorThatHasNone() {
    assertEquals(List.of("operator 2 'Sink: Print' reads side output 'late' of operator 1 'Map',"
            + " which is not a process function and has no side outputs"),
        problems(job -> job.generate(i -> i, 1).map(i -> i)
            .getSideOutput(new io.weir.stream.api.OutputTag<>("late", Long.class)).print()));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> {
      JobBuilderImpl job = new JobBuilderImpl("test");
      DataStream<Long> numbers = job.generate(i -> i, 1);
      numbers.map(i -> i).setParallelism(0).print();
      numbers.filter(i -> true);
      JobPlanner.plan(job.streamGraph());
    });

    assertEquals(List.of("the parallelism of operator 1 'Map' must be at least 1, was 0",
        "operator 3 'Filter' is dangling: its output reaches no sink; end the stream with sinkTo,"
            + " toLog or print or remove it"), e.problems());
    assertEquals("the job has 2 problems:\n  " + e.problems().get(0) + "\n  "
        + e.problems().get(1), e.getMessage());
  }

  @Test
  void settingsOnAUnionAreRejectedAtOnce() {
    JobBuilderImpl job = new JobBuilderImpl("test");
    DataStream<Long> union = job.generate(i -> i, 1).union(job.generate(i -> i, 1));

    InvalidJobException e = assertThrows(InvalidJobException.class, () -> union.name("x"));

    assertEquals("name() applies to the operator that produced a stream, and a union has 2;"
        + " call it on each stream before the union", e.getMessage());
  }
}
