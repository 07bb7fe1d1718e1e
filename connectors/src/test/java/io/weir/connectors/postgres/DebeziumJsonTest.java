package io.weir.connectors.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.connectors.postgres.ChangeEvent.Operation;
import io.weir.connectors.postgres.ChangeEvent.SourceInfo;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Events written in Debezium's JSON layout. */
class DebeziumJsonTest {
  @Test
  void anUpdateIsWrittenAsDebeziumWritesIt() {
    Map<String, Object> before = new LinkedHashMap<>();
    before.put("id", 1);
    before.put("body", null);
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("id", 1);
    after.put("body", Unavailable.VALUE);
    after.put("big", 9_000_000_000L);
    after.put("n", new BigDecimal("12.50"));
    after.put("d", 2.5);
    after.put("ok", true);
    after.put("day", LocalDate.of(1970, 1, 11));
    after.put("tod", LocalTime.of(0, 0, 1, 5000));
    after.put("ts", LocalDateTime.of(1970, 1, 1, 0, 0, 2));
    after.put("tstz", Instant.parse("2024-01-01T21:34:05.500Z"));
    after.put("u", UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    after.put("bin", new byte[] {1, 2, 3});
    after.put("ints", Arrays.asList(1, null));
    ChangeEvent event = new ChangeEvent(before, after, Operation.UPDATE,
        new SourceInfo("postgresql", "shop", "public", "docs", 123, 7L, 1000, "false"), 2000);
    assertEquals("{\"before\":{\"id\":1,\"body\":null},\"after\":{\"id\":1,"
        + "\"body\":\"__debezium_unavailable_value\",\"big\":9000000000,\"n\":\"12.50\","
        + "\"d\":2.5,\"ok\":true,\"day\":10,\"tod\":1000005,\"ts\":2000000,"
        + "\"tstz\":\"2024-01-01T21:34:05.500Z\",\"u\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\","
        + "\"bin\":\"AQID\",\"ints\":[1,null]},\"source\":{\"connector\":\"postgresql\","
        + "\"name\":\"shop-cdc\",\"ts_ms\":1000,\"snapshot\":\"false\",\"db\":\"shop\","
        + "\"schema\":\"public\",\"table\":\"docs\",\"txId\":7,\"lsn\":123},\"op\":\"u\","
        + "\"ts_ms\":2000}", DebeziumJson.write(event, "shop-cdc"));
  }

  @Test
  void aSnapshotReadHasNoBeforeAndNoTransaction() {
    ChangeEvent read = new ChangeEvent(null, Map.of("id", 5), Operation.READ,
        new SourceInfo("postgresql", "shop", "public", "t", 9, null, 1, "last"), 1);
    assertEquals("{\"before\":null,\"after\":{\"id\":5},\"source\":{\"connector\":"
        + "\"postgresql\",\"name\":\"p\",\"ts_ms\":1,\"snapshot\":\"last\",\"db\":\"shop\","
        + "\"schema\":\"public\",\"table\":\"t\",\"txId\":null,\"lsn\":9},\"op\":\"r\","
        + "\"ts_ms\":1}", DebeziumJson.write(read, "p"));
  }
}
