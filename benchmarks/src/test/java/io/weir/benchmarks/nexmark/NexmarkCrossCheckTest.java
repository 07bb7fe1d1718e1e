package io.weir.benchmarks.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.benchmarks.nexmark.CrossCheck.ResultMismatchException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Weir and Flink agree on every Nexmark query over the same few thousand events (the
 * benchmark's cross-check, untimed), at parallelism 1 and 2; and a disagreement fails.
 */
class NexmarkCrossCheckTest {
  /** 30,000 events span 3 s of event time: several q5 slides, q7 and q8 windows, sessions. */
  private static final long EVENTS = 30_000;
  private static final long SEED = 20261124L;

  private static WeirSide weir;
  private static FlinkSide flink;

  @BeforeAll
  static void start() throws Exception {
    System.out.println("seed " + SEED);
    weir = WeirSide.start(Duration.ofSeconds(60));
    flink = FlinkSide.start(2, true);
  }

  @AfterAll
  static void stop() {
    if (flink != null) {
      flink.close();
    }
    if (weir != null) {
      weir.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Query.class)
  void bothSystemsAgreeAtParallelismOne(Query query) throws Exception {
    CrossCheck.Outcome o = CrossCheck.verify(weir, flink, query, EVENTS, SEED, 1);
    System.out.println(query.label() + " p1: " + o.weir());
  }

  @ParameterizedTest
  @EnumSource(value = Query.class, names = {"Q3", "Q5", "Q7", "Q8", "Q11"})
  void bothSystemsAgreeAtParallelismTwo(Query query) throws Exception {
    CrossCheck.Outcome o = CrossCheck.verify(weir, flink, query, EVENTS, SEED, 2);
    System.out.println(query.label() + " p2: " + o.weir());
  }

  @Test
  void flinkInAJvmOfItsOwnAgreesToo() throws Exception {
    try (FlinkProcessSide own = FlinkProcessSide.start(1, true)) {
      CrossCheck.Outcome o = CrossCheck.verify(weir, own, Query.Q11, 10_000, SEED, 1);
      assertEquals(o.peer(), flink.run(Query.Q11, 10_000, SEED, 1, true).digest());
    }
  }

  @Test
  void aDisagreementFailsTheCheck() {
    NexmarkSide lossy = new NexmarkSide() {
      @Override
      public String name() {
        return "lossy";
      }

      @Override
      public Run run(Query query, long events, long seed, int parallelism, boolean full)
          throws Exception {
        // Flink on one event fewer: one result fewer in q0.
        return flink.run(query, events - 1, seed, parallelism, full);
      }

      @Override
      public void close() {}
    };
    ResultMismatchException e = assertThrows(ResultMismatchException.class,
        () -> CrossCheck.verify(weir, lossy, Query.Q0, 2_000, SEED, 1));
    assertTrue(e.getMessage().contains("disagree"), e.getMessage());
  }

  @Test
  void q0CountsEveryEvent() throws Exception {
    assertEquals(2_000, weir.run(Query.Q0, 2_000, SEED, 1, true).digest().count());
  }
}
