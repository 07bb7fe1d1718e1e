package io.weir.stream.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.api.OutputTag;
import io.weir.stream.api.windowing.ContinuousEventTimeTrigger;
import io.weir.stream.api.windowing.ContinuousProcessingTimeTrigger;
import io.weir.stream.api.windowing.CountTrigger;
import io.weir.stream.api.windowing.EventTimeSessionWindows;
import io.weir.stream.api.windowing.GlobalWindow;
import io.weir.stream.api.windowing.GlobalWindows;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.ProcessingTimeSessionWindows;
import io.weir.stream.api.windowing.PurgingTrigger;
import io.weir.stream.api.windowing.SlidingProcessingTimeWindows;
import io.weir.stream.api.windowing.TimeWindow;
import io.weir.stream.api.windowing.Trigger;
import io.weir.stream.api.windowing.TumblingEventTimeWindows;
import io.weir.stream.api.windowing.TumblingProcessingTimeWindows;
import io.weir.stream.api.windowing.Window;
import io.weir.stream.api.windowing.WindowAssigner;
import io.weir.stream.internal.windowing.WindowContents;
import io.weir.stream.internal.windowing.WindowOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lateness, cleanup, triggers, merging and processing time, one scenario at a time. */
class WindowSemanticsTest {
  /** An input element: key, value; the timestamp is given apart. */
  record Ev(String key, int value) {}

  /** A firing: key, window bounds, the values in arrival order. */
  record Fired(String key, long start, long end, List<Integer> values) {}

  static final OutputTag<Ev> LATE = new OutputTag<>("late", Ev.class);

  static <W extends Window> ProcessWindowFunction<Ev, Fired, String, W> collectValues() {
    return (key, ctx, elements, out) -> {
      List<Integer> values = new ArrayList<>();
      elements.forEach(e -> values.add(e.value()));
      long start = ctx.window() instanceof TimeWindow t ? t.start() : Long.MIN_VALUE;
      long end = ctx.window() instanceof TimeWindow t ? t.end() : Long.MAX_VALUE;
      out.collect(new Fired(key, start, end, values));
    };
  }

  static <W extends Window> OperatorHarness<String, Ev, Fired> harness(
      WindowAssigner<Object, W> assigner, Trigger<Object, ? super W> trigger, long lateness,
      OutputTag<Ev> lateTag) throws Exception {
    return new OperatorHarness<>(new WindowOperator<>(assigner, trigger, lateness, lateTag,
        WindowContents.<Ev, Fired, String, W>elements(collectValues())), Ev::key);
  }

  static Fired fired(String key, long start, long end, Integer... values) {
    return new Fired(key, start, end, List.of(values));
  }

  @Test
  void lateElementsWithinAllowedLatenessFireAgainAndLaterOnesGoToTheSideOutput()
      throws Exception {
    var assigner = TumblingEventTimeWindows.of(Duration.ofMillis(10));
    try (var h = harness(assigner, assigner.defaultTrigger(), 5, LATE)) {
      h.element(new Ev("a", 1), 3L);
      h.element(new Ev("a", 2), 7L);
      h.watermark(9); // maxTimestamp 9: fires.
      assertEquals(List.of(fired("a", 0, 10, 1, 2)), h.values());
      h.clearOutput();

      h.element(new Ev("a", 3), 5L); // late, but 9 + 5 > 9: fires again at once.
      assertEquals(List.of(fired("a", 0, 10, 1, 2, 3)), h.values());
      h.watermark(13);
      h.element(new Ev("a", 4), 1L); // 14 > 13: still allowed.
      assertEquals(List.of(fired("a", 0, 10, 1, 2, 3), fired("a", 0, 10, 1, 2, 3, 4)),
          h.values());
      h.clearOutput();

      h.watermark(14); // cleanup time 14: the window's state goes.
      assertTrue(h.isClean());
      h.element(new Ev("a", 5), 2L); // too late: side output, not a new window.
      assertEquals(List.of(), h.values());
      assertEquals(List.of(new Ev("a", 5)), h.sideOutputs.get("late"));
      assertTrue(h.isClean());
    }
  }

  @Test
  void tooLateElementsWithoutASideOutputAreDroppedAndCounted() throws Exception {
    var assigner = TumblingEventTimeWindows.of(Duration.ofMillis(10));
    var op = new WindowOperator<>(assigner, assigner.defaultTrigger(), 0, null,
        WindowContents.<Ev, Fired, String, TimeWindow>elements(collectValues()));
    try (var h = new OperatorHarness<String, Ev, Fired>(op, Ev::key)) {
      h.watermark(25);
      h.element(new Ev("a", 1), 9L);
      h.element(new Ev("b", 2), 19L);
      h.element(new Ev("a", 3), 25L); // window [20, 30) is not late.
      assertEquals(2, op.droppedLateRecords());
      h.watermark(29);
      assertEquals(List.of(fired("a", 20, 30, 3)), h.values());
      assertTrue(h.sideOutputs.isEmpty());
    }
  }

  @Test
  void aSessionBridgingTwoSessionsMergesThem() throws Exception {
    var assigner = EventTimeSessionWindows.withGap(Duration.ofMillis(10));
    try (var h = harness(assigner, assigner.defaultTrigger(), 0, null)) {
      h.element(new Ev("a", 1), 0L); // [0, 10)
      h.element(new Ev("a", 2), 15L); // [15, 25)
      h.element(new Ev("b", 9), 5L); // another key
      h.watermark(8);
      assertEquals(List.of(), h.values());
      h.element(new Ev("a", 3), 8L); // [8, 18) bridges both: [0, 25)
      h.watermark(14);
      assertEquals(List.of(fired("b", 5, 15, 9)), h.values(), "b fires, a is merged and open");
      h.watermark(24);
      assertEquals(List.of(fired("b", 5, 15, 9), fired("a", 0, 25, 1, 2, 3)), h.values());
      assertTrue(h.isClean());
    }
  }

  @Test
  void mergingSessionsAddTheirCounts() throws Exception {
    var assigner = EventTimeSessionWindows.withGap(Duration.ofMillis(10));
    try (var h = harness(assigner, CountTrigger.of(4), 0, null)) {
      h.element(new Ev("a", 1), 0L);
      h.element(new Ev("a", 2), 1L);
      h.element(new Ev("a", 3), 30L);
      h.element(new Ev("a", 4), 12L); // [0, 11) count 2, [12, 22) count 1, [30, 40) count 1
      assertEquals(List.of(), h.values());
      h.element(new Ev("a", 5), 20L); // [20, 30) joins [12, 22) and [30, 40): count 3
      assertEquals(List.of(), h.values());
      h.element(new Ev("a", 6), 10L); // joins all into [0, 40): 2 + 3 + 1 = 6 >= 4
      assertEquals(List.of(fired("a", 0, 40, 1, 2, 4, 3, 5, 6)), h.values());
      h.watermark(39);
      assertTrue(h.isClean(), "the merged window's cleanup timer removes it");
    }
  }

  @Test
  void countTriggerOnGlobalWindowsFiresEveryNElements() throws Exception {
    try (var h = harness(GlobalWindows.create(), CountTrigger.of(3), 0, null)) {
      for (int i = 1; i <= 7; i++) {
        h.element(new Ev("a", i), null); // no timestamps needed
      }
      h.watermark(Long.MAX_VALUE); // the global window never fires on time
      assertEquals(List.of(List.of(1, 2, 3), List.of(1, 2, 3, 4, 5, 6)),
          h.values().stream().map(Fired::values).toList());
    }
  }

  @Test
  void purgingCountTriggerEmitsDisjointBatches() throws Exception {
    try (var h = harness(GlobalWindows.create(), PurgingTrigger.of(CountTrigger.of(3)), 0,
        null)) {
      for (int i = 1; i <= 7; i++) {
        h.element(new Ev("a", i), null);
        h.element(new Ev("b", -i), null);
      }
      assertEquals(List.of(fired("a", Long.MIN_VALUE, Long.MAX_VALUE, 1, 2, 3),
          fired("b", Long.MIN_VALUE, Long.MAX_VALUE, -1, -2, -3),
          fired("a", Long.MIN_VALUE, Long.MAX_VALUE, 4, 5, 6),
          fired("b", Long.MIN_VALUE, Long.MAX_VALUE, -4, -5, -6)), h.values());
    }
  }

  @Test
  void purgingEventTimeTriggerGivesEachLateFiringOnlyTheNewElements() throws Exception {
    var assigner = TumblingEventTimeWindows.of(Duration.ofMillis(10));
    try (var h = harness(assigner, PurgingTrigger.of(assigner.defaultTrigger()), 10, null)) {
      h.element(new Ev("a", 1), 1L);
      h.watermark(9);
      h.element(new Ev("a", 2), 2L);
      h.element(new Ev("a", 3), 3L);
      assertEquals(List.of(fired("a", 0, 10, 1), fired("a", 0, 10, 2), fired("a", 0, 10, 3)),
          h.values());
      h.watermark(19);
      assertTrue(h.isClean());
    }
  }

  @Test
  void continuousEventTimeTriggerFiresEarlyAndAtTheEnd() throws Exception {
    var assigner = TumblingEventTimeWindows.of(Duration.ofMillis(100));
    try (var h = harness(assigner, ContinuousEventTimeTrigger.of(Duration.ofMillis(30)), 0,
        null)) {
      h.element(new Ev("a", 1), 5L); // next firing at 30
      h.element(new Ev("a", 2), 40L);
      h.watermark(35);
      assertEquals(List.of(fired("a", 0, 100, 1, 2)), h.values());
      h.element(new Ev("a", 3), 50L);
      h.watermark(95); // 60 and 90 pass in one jump: one firing
      h.watermark(99); // the end
      assertEquals(List.of(fired("a", 0, 100, 1, 2), fired("a", 0, 100, 1, 2, 3),
          fired("a", 0, 100, 1, 2, 3)), h.values());
      assertTrue(h.isClean());
    }
  }

  @Test
  void continuousProcessingTimeTriggerFiresEveryInterval() throws Exception {
    var assigner = TumblingEventTimeWindows.of(Duration.ofMillis(1000));
    try (var h = harness(assigner, ContinuousProcessingTimeTrigger.of(Duration.ofMillis(50)),
        0, null)) {
      h.processingTime(10);
      h.element(new Ev("a", 1), 100L);
      h.processingTime(49);
      assertEquals(List.of(), h.values());
      h.processingTime(50);
      h.element(new Ev("a", 2), 200L);
      h.processingTime(100);
      assertEquals(List.of(fired("a", 0, 1000, 1), fired("a", 0, 1000, 1, 2)), h.values());
      h.watermark(999); // cleanup removes the window and its processing-time timer
      assertTrue(h.isClean());
    }
  }

  @Test
  void processingTimeWindowsFireOnTheClock() throws Exception {
    var assigner = TumblingProcessingTimeWindows.of(Duration.ofMillis(100));
    try (var h = harness(assigner, assigner.defaultTrigger(), 0, null)) {
      h.processingTime(1050);
      h.element(new Ev("a", 1), null); // timestamps are not needed
      h.element(new Ev("a", 2), 5L); // and are ignored
      h.processingTime(1120);
      h.element(new Ev("a", 3), null);
      h.watermark(Long.MAX_VALUE); // event time does nothing
      assertEquals(List.of(fired("a", 1000, 1100, 1, 2)), h.values());
      h.processingTime(1199);
      assertEquals(List.of(fired("a", 1000, 1100, 1, 2), fired("a", 1100, 1200, 3)),
          h.values());
      assertEquals(null, h.output.get(0).timestamp(), "processing-time results carry none");
      assertTrue(h.isClean());
    }
  }

  @Test
  void slidingAndSessionProcessingTimeWindows() throws Exception {
    var sliding = SlidingProcessingTimeWindows.of(Duration.ofMillis(20), Duration.ofMillis(10));
    try (var h = harness(sliding, sliding.defaultTrigger(), 0, null)) {
      h.processingTime(15);
      h.element(new Ev("a", 1), null); // [0, 20) and [10, 30)
      h.processingTime(100);
      assertEquals(List.of(fired("a", 0, 20, 1), fired("a", 10, 30, 1)), h.values());
    }
    var sessions = ProcessingTimeSessionWindows.withGap(Duration.ofMillis(10));
    try (var h = harness(sessions, sessions.defaultTrigger(), 0, null)) {
      h.processingTime(0);
      h.element(new Ev("a", 1), null);
      h.processingTime(8);
      h.element(new Ev("a", 2), null);
      h.processingTime(16);
      assertEquals(List.of(), h.values());
      h.processingTime(17);
      assertEquals(List.of(fired("a", 0, 18, 1, 2)), h.values());
      assertTrue(h.isClean());
    }
  }

  @Test
  void anElementWithoutTimestampFailsAnEventTimeWindow() throws Exception {
    var assigner = TumblingEventTimeWindows.of(Duration.ofMillis(10));
    try (var h = harness(assigner, assigner.defaultTrigger(), 0, null)) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> h.element(new Ev("a", 1), null));
      assertTrue(e.getMessage().contains("TumblingEventTimeWindows(10ms)"), e.getMessage());
      assertTrue(e.getMessage().contains("assign timestamps and watermarks"), e.getMessage());
    }
  }

  @Test
  void globalWindowsNeverFireByDefault() throws Exception {
    var assigner = GlobalWindows.create();
    try (var h = harness(assigner, assigner.defaultTrigger(), 0, null)) {
      h.element(new Ev("a", 1), 1L);
      h.watermark(Long.MAX_VALUE);
      h.processingTime(Long.MAX_VALUE - 1);
      assertEquals(List.of(), h.values());
      assertEquals(GlobalWindow.get(), new GlobalWindow());
    }
  }
}
