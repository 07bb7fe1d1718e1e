package io.weir.stream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.stream.api.state.ListStateDescriptor;
import io.weir.stream.api.state.MapStateDescriptor;
import io.weir.stream.api.state.StateTtlConfig;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiValuesTest {
  @Test
  void stateDescriptorsCheckTheirNamesAndCarryATtl() {
    StateTtlConfig ttl = StateTtlConfig.of(Duration.ofMinutes(5))
        .withUpdateType(StateTtlConfig.UpdateType.ON_READ_AND_WRITE);
    ValueStateDescriptor<Long> count = ValueStateDescriptor.of("count", Long.class);

    assertNull(count.ttl());
    assertEquals(ttl, count.withTtl(ttl).ttl());
    assertEquals(ValueStateDescriptor.of("count", Long.class), count);
    assertThrows(IllegalArgumentException.class, () -> ListStateDescriptor.of(" ", String.class));
    assertThrows(NullPointerException.class,
        () -> MapStateDescriptor.of("m", String.class, null));
    assertThrows(IllegalArgumentException.class, () -> StateTtlConfig.of(Duration.ZERO));
  }

  @Test
  void outputTagsAreEqualByIdAndType() {
    assertEquals(new OutputTag<>("late", String.class), new OutputTag<>("late", String.class));
    assertThrows(IllegalArgumentException.class, () -> new OutputTag<>("", String.class));
  }

  @Test
  void anInvalidJobExceptionListsItsProblems() {
    InvalidJobException one = new InvalidJobException("bad");
    assertEquals("bad", one.getMessage());
    assertEquals(List.of("bad"), one.problems());
    assertThrows(IllegalArgumentException.class, () -> new InvalidJobException(List.of()));
  }
}
