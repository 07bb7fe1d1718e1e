package io.weir.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.api.CoProcessFunction;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.ProcessFunction;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ChainingTest {
  private static final OutputTag<String> ODD = new OutputTag<>("odd", String.class);

  private static JobGraph plan(Consumer<JobBuilderImpl> definition) {
    JobBuilderImpl job = new JobBuilderImpl("test");
    definition.accept(job);
    return JobPlanner.plan(job.streamGraph());
  }

  private static List<List<String>> chains(JobGraph graph) {
    return graph.vertices().stream().map(JobVertex::operatorNames).toList();
  }

  @Test
  void mapFilterMapChainsWithTheSourceAndSink() {
    JobGraph graph = plan(job -> job.fromElements(1, 2, 3)
        .map(i -> i * 2).filter(i -> i > 2).map(String::valueOf).print());

    assertEquals(List.of(List.of("Source: Elements", "Map", "Filter", "Map", "Sink: Print")),
        chains(graph));
    assertEquals("0-source-elements", graph.vertices().get(0).id());
    assertEquals("Source: Elements -> Map -> Filter -> Map -> Sink: Print",
        graph.vertices().get(0).name());
    assertEquals(4, graph.vertices().get(0).chainEdges().size());
    assertTrue(graph.edges().isEmpty());
  }

  @Test
  void aNonParallelSourceFeedsAParallelChainThroughARebalance() {
    JobGraph graph = plan(job -> job.setParallelism(2).fromElements(1, 2, 3)
        .map(i -> i * 2).filter(i -> i > 2).map(String::valueOf).print());

    assertEquals(List.of(List.of("Source: Elements"), List.of("Map", "Filter", "Map",
        "Sink: Print")), chains(graph));
    assertEquals(List.of(1, 2), graph.vertices().stream().map(JobVertex::parallelism).toList());
    assertEquals(Partitioning.REBALANCE, graph.edges().get(0).partitioning());
  }

  @Test
  void keyByBreaksTheChainWithAHashEdge() {
    JobGraph graph = plan(job -> job.setParallelism(4).generate(i -> i, 100)
        .map(i -> i % 10).keyBy(i -> i).reduce(Long::sum).print());

    assertEquals(List.of(List.of("Source: Generator", "Map"), List.of("Reduce", "Sink: Print")),
        chains(graph));
    JobEdge edge = graph.edges().get(0);
    assertEquals(Partitioning.HASH, edge.partitioning());
    assertEquals("0-source-generator", edge.sourceVertex());
    assertEquals(1, edge.sourceNode());
    assertEquals("2-reduce", edge.targetVertex());
    assertTrue(graph.isKeyed("2-reduce"));
    assertFalse(graph.isKeyed("0-source-generator"));
    assertEquals(new KeyGroupRange(96, 127), graph.keyGroupRange("2-reduce", 3));
  }

  @Test
  void differentParallelismBreaksTheChain() {
    JobGraph graph = plan(job -> job.setParallelism(2).generate(i -> i, 10)
        .map(i -> i).map(i -> i).setParallelism(3).print().setParallelism(3));

    assertEquals(List.of(List.of("Source: Generator", "Map"), List.of("Map", "Sink: Print")),
        chains(graph));
    assertEquals(Partitioning.REBALANCE, graph.edges().get(0).partitioning());
  }

  @Test
  void broadcastAndRebalanceBreakTheChainAtEqualParallelism() {
    JobGraph graph = plan(job -> {
      DataStream<Long> numbers = job.generate(i -> i, 10);
      numbers.broadcast().map(i -> i).print();
      numbers.rebalance().map(i -> i).print();
    });

    assertEquals(List.of(List.of("Source: Generator"), List.of("Map", "Sink: Print"),
        List.of("Map", "Sink: Print")), chains(graph));
    assertEquals(List.of(Partitioning.BROADCAST, Partitioning.REBALANCE),
        graph.edges().stream().map(JobEdge::partitioning).toList());
  }

  @Test
  void anOperatorAfterAUnionReadsSeveralInputsAndStartsAVertex() {
    JobGraph graph = plan(job -> {
      DataStream<Long> a = job.generate(i -> i, 10).name("A");
      DataStream<Long> b = job.generate(i -> -i, 10).name("B");
      a.union(b).map(i -> i + 1).print();
    });

    assertEquals(List.of(List.of("A"), List.of("B"), List.of("Map", "Sink: Print")),
        chains(graph));
    assertEquals(2, graph.inputsOf("2-map").size());
    assertTrue(graph.inputsOf("2-map").stream()
        .allMatch(e -> e.partitioning() == Partitioning.FORWARD && e.targetInput() == 0));
  }

  @Test
  void aStreamUnitedWithItselfIsReadTwice() {
    JobGraph graph = plan(job -> {
      DataStream<Long> a = job.generate(i -> i, 10);
      a.union(a).map(i -> i).print();
    });

    assertEquals(List.of(List.of("Source: Generator"), List.of("Map", "Sink: Print")),
        chains(graph));
    assertEquals(List.of(0, 1),
        graph.inputsOf("1-map").stream().map(JobEdge::streamEdge).toList());
  }

  @Test
  void aConnectedOperatorHasTwoInputsAndStartsAVertex() {
    CoProcessFunction<Long, String, String> join = new CoProcessFunction<>() {
      @Override
      public void processElement1(Long v, ProcessFunction.Context c,
          io.weir.stream.api.Collector<String> out) {}

      @Override
      public void processElement2(String v, ProcessFunction.Context c,
          io.weir.stream.api.Collector<String> out) {}
    };
    JobGraph graph = plan(job -> job.generate(i -> i, 10)
        .connect(job.fromElements("x", "y")).process(join).print());

    assertEquals(List.of(List.of("Source: Generator"), List.of("Source: Elements"),
        List.of("Co-Process", "Sink: Print")), chains(graph));
    assertEquals(List.of(0, 1),
        graph.inputsOf("2-co-process").stream().map(JobEdge::targetInput).toList());
  }

  @Test
  void startNewChainAndDisableChainingAreHonoured() {
    JobGraph newChain = plan(job -> job.generate(i -> i, 10).map(i -> i).name("m1")
        .map(i -> i).name("m2").startNewChain().map(i -> i).name("m3").print());
    assertEquals(List.of(List.of("Source: Generator", "m1"), List.of("m2", "m3", "Sink: Print")),
        chains(newChain));

    JobGraph disabled = plan(job -> job.generate(i -> i, 10).map(i -> i).name("m1")
        .map(i -> i).name("m2").disableChaining().map(i -> i).name("m3").print());
    assertEquals(List.of(List.of("Source: Generator", "m1"), List.of("m2"),
        List.of("m3", "Sink: Print")), chains(disabled));

    JobGraph none = plan(job -> job.disableOperatorChaining().generate(i -> i, 10)
        .map(i -> i).print());
    assertEquals(3, none.vertices().size());
  }

  @Test
  void aChainFansOutToSeveralOperatorsAndSideOutputs() {
    ProcessFunction<Long, Long> split = (v, ctx, out) -> {
      if (v % 2 == 0) {
        out.collect(v);
      } else {
        ctx.output(ODD, "odd " + v);
      }
    };
    JobGraph graph = plan(job -> {
      DataStream<Long> evens = job.generate(i -> i, 10).process(split);
      evens.print();
      evens.getSideOutput(ODD).print().name("Print odd");
    });

    assertEquals(List.of(List.of("Source: Generator", "Process", "Sink: Print", "Print odd")),
        chains(graph));
    assertEquals(List.of(new ChainEdge(0, 1, null), new ChainEdge(1, 2, null),
        new ChainEdge(1, 3, "odd")), graph.vertices().get(0).chainEdges());
  }

  @Test
  void aKeyedProcessFunctionFollowsAHashEdge() {
    KeyedProcessFunction<Long, Long, Long> passOn = (v, ctx, out) -> out.collect(v);
    JobGraph graph = plan(job -> job.setParallelism(3).generate(i -> i, 10)
        .keyBy(i -> i % 3).process(passOn).map(i -> i).print());

    assertEquals(List.of(List.of("Source: Generator"),
        List.of("Keyed Process", "Map", "Sink: Print")), chains(graph));
    assertEquals(OperatorKind.KEYED_PROCESS, graph.vertices().get(1).head().kind());
  }
}
