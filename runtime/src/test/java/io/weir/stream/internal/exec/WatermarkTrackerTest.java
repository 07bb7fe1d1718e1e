package io.weir.stream.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.stream.api.eventtime.WatermarkGenerator;
import io.weir.stream.api.eventtime.WatermarkOutput;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatermarkTrackerTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<String> changes = new ArrayList<>();
  private final WatermarkTracker.Changes recorder = new WatermarkTracker.Changes() {
    @Override
    public void watermark(long watermark) {
      changes.add("wm " + watermark);
    }

    @Override
    public void idle(boolean idle) {
      changes.add(idle ? "idle" : "active");
    }
  };

  private List<String> flush(WatermarkTracker tracker) {
    tracker.onPeriodic();
    tracker.flush(recorder);
    List<String> out = List.copyOf(changes);
    changes.clear();
    return out;
  }

  @Test
  void boundedOutOfOrdernessTrailsTheHighestTimestampAndNeverGoesBack() {
    WatermarkTracker t = new WatermarkTracker(
        WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(100)), now::get);
    t.addSplit("p0");
    assertEquals(1000, t.onRecord("p0", "a", 1000));
    t.onRecord("p0", "b", 900);
    t.onRecord("p0", "c", 1200);
    assertEquals(List.of("wm 1099"), flush(t));
    t.onRecord("p0", "late", 500);
    assertEquals(List.of(), flush(t));
  }

  @Test
  void theMinimumOverSplitsHoldsUntilAnIdleSplitIsLeftOut() {
    WatermarkTracker t = new WatermarkTracker(
        WatermarkStrategy.forMonotonousTimestamps().withIdleness(Duration.ofSeconds(1)),
        now::get);
    t.addSplit("p0");
    t.addSplit("p1");
    t.onRecord("p0", "x", 5000);
    // p1 has no records: it holds the watermark back.
    assertEquals(List.of(), flush(t));
    t.onRecord("p1", "y", 1000);
    assertEquals(List.of("wm 999"), flush(t));
    // p1 goes quiet for the idleness timeout while p0 goes on.
    now.addAndGet(600);
    t.onRecord("p0", "x", 6000);
    now.addAndGet(600);
    t.onRecord("p0", "x", 7000);
    assertEquals(List.of("wm 6999"), flush(t));
    // p1 is active again, but behind: the combined watermark does not go back.
    t.onRecord("p1", "y", 2000);
    assertEquals(List.of(), flush(t));
    now.addAndGet(2000);
    assertEquals(List.of("idle"), flush(t));
    t.onRecord("p0", "x", 8000);
    t.flush(recorder);
    assertEquals(List.of("active"), changes);
  }

  @Test
  void timestampAssignerAndCustomPunctuatedGenerator() {
    WatermarkStrategy<String> strategy = WatermarkStrategy.<String>forGenerator(() ->
        new WatermarkGenerator<>() {
          @Override
          public void onEvent(String event, long timestamp, WatermarkOutput output) {
            if (event.startsWith("!")) {
              output.emitWatermark(timestamp);
            }
          }

          @Override
          public void onPeriodicEmit(WatermarkOutput output) {}
        }).withTimestampAssigner((s, ts) -> Long.parseLong(s.replace("!", "")));
    WatermarkTracker t = new WatermarkTracker(strategy, now::get);
    t.addSplit("");
    assertEquals(42, t.onRecord("", "42", Long.MIN_VALUE));
    t.flush(recorder);
    assertEquals(List.of(), changes);
    t.onRecord("", "!50", Long.MIN_VALUE);
    t.flush(recorder);
    assertEquals(List.of("wm 50"), changes);
  }
}
