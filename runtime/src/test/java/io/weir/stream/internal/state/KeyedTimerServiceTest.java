package io.weir.stream.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.stream.internal.KeyGroupRange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyedTimerServiceTest {
  private final KeyGroupRange range = new KeyGroupRange(0, 127);
  private final KeyedStateBackend backend = new KeyedStateBackend(range, 128, () -> 0L);
  private final InternalTimers timers = new InternalTimers(range, 128);
  private final AtomicLong clock = new AtomicLong(1_000);
  private final KeyedTimerService service =
      new KeyedTimerService(backend, timers, clock::get, timers::currentWatermark);

  @Test
  void timersBelongToTheCurrentKey() throws Exception {
    backend.setCurrentKey("a");
    service.registerEventTimeTimer(10);
    service.registerProcessingTimeTimer(2_000);
    backend.setCurrentKey("b");
    service.registerEventTimeTimer(10);
    service.registerEventTimeTimer(20);
    service.deleteEventTimeTimer(20);
    backend.setCurrentKey("a");
    service.deleteProcessingTimeTimer(2_000);
    List<String> fired = new ArrayList<>();
    timers.advanceWatermark(15, (key, time, domain) -> fired.add(key + "@" + time + " " + domain));
    timers.fireProcessingTimers(Long.MAX_VALUE, (key, time, domain) -> fired.add("unexpected"));
    assertEquals(List.of("a@10 EVENT_TIME", "b@10 EVENT_TIME"), fired);
    assertEquals(0, timers.size());
  }

  @Test
  void timesComeFromTheClockAndTheWatermark() throws Exception {
    assertEquals(1_000, service.currentProcessingTime());
    clock.set(1_500);
    assertEquals(1_500, service.currentProcessingTime());
    assertEquals(Long.MIN_VALUE, service.currentWatermark());
    timers.advanceWatermark(77, (key, time, domain) -> { });
    assertEquals(77, service.currentWatermark());
  }

  @Test
  void noCurrentKeyNoTimers() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> service.registerEventTimeTimer(1));
    assertEquals("timers can only be used while an element or timer of a keyed stream is "
        + "processed: there is no current key", e.getMessage());
    assertThrows(IllegalStateException.class, () -> service.registerProcessingTimeTimer(1));
    assertThrows(IllegalStateException.class, () -> service.deleteEventTimeTimer(1));
    assertThrows(IllegalStateException.class, () -> service.deleteProcessingTimeTimer(1));
    assertEquals(0, timers.size());
  }
}
