package io.weir.connectors.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.ChangeEvent.Operation;
import io.weir.log.api.Header;
import io.weir.log.api.ProducerRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformsTest {
  private static ChangeEvent event(String table, Operation op, Map<String, Object> before,
      Map<String, Object> after) {
    return new ChangeEvent(before, after, op, new ChangeEvent.SourceInfo("postgresql", "shop",
        "public", table, 42L, 7L, 1000L, "false"), 2000L);
  }

  private static Map<String, Object> row(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static List<Row> unwrap(Unwrap unwrap, ChangeEvent e) throws Exception {
    List<Row> out = new ArrayList<>();
    unwrap.flatMap(e, out::add);
    return out;
  }

  @Test
  void unwrapGivesTheNewRowStateAndHandlesDeletesAsAsked() throws Exception {
    ChangeEvent insert = event("orders", Operation.CREATE, null, row("id", 1, "total", 10));
    ChangeEvent update = event("orders", Operation.UPDATE, null, row("id", 1, "total", 12));
    ChangeEvent delete = event("orders", Operation.DELETE, row("id", 1, "total", null), null);
    ChangeEvent truncate = event("orders", Operation.TRUNCATE, null, null);
    assertEquals(List.of(new Row("public", "orders", "c", false, row("id", 1, "total", 10))),
        unwrap(Unwrap.droppingDeletes(), insert));
    assertEquals(12, unwrap(Unwrap.droppingDeletes(), update).get(0).get("total"));
    assertEquals(List.of(), unwrap(Unwrap.droppingDeletes(), delete));
    List<Row> deleted = unwrap(Unwrap.keepingDeletes(), delete);
    assertTrue(deleted.get(0).deleted());
    assertEquals(1, deleted.get(0).get("id"));
    assertEquals(List.of(), unwrap(Unwrap.keepingDeletes(), truncate));
  }

  @Test
  void filtersKeepTablesAndOperations() throws Exception {
    ChangeEvent orders = event("orders", Operation.CREATE, null, row("id", 1));
    ChangeEvent users = event("users", Operation.DELETE, row("id", 1), null);
    assertTrue(ChangeEventFilters.tables("orders").filter(orders));
    assertTrue(ChangeEventFilters.tables("public.orders").filter(orders));
    assertFalse(ChangeEventFilters.tables("orders").filter(users));
    assertTrue(ChangeEventFilters.operations(Operation.DELETE).filter(users));
    assertFalse(ChangeEventFilters.operations(Operation.CREATE, Operation.UPDATE).filter(users));
  }

  @Test
  void tableRouterPicksTheTopicKeysByTheRowsKeyAndWritesTheEnvelope() {
    TableRouter router = TableRouter.to("cdc.${db}.${schema}.${table}").keyedBy("orders", "id");
    ProducerRecord r = router.route(event("orders", Operation.UPDATE, null,
        row("id", 5, "total", 3)));
    assertEquals("cdc.shop.public.orders", r.topic());
    assertEquals("id=5", new String(r.key(), StandardCharsets.UTF_8));
    String json = new String(r.value(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"op\":\"u\"") && json.contains("\"total\":3"), json);
    ProducerRecord deleted = router.route(event("orders", Operation.DELETE, row("id", 5), null));
    assertEquals("id=5", new String(deleted.key(), StandardCharsets.UTF_8));
    assertNull(router.route(event("users", Operation.CREATE, null, row("id", 1))).key());
  }

  @Test
  void outboxRouterPublishesInsertedEventsByAggregate() {
    OutboxRouter router = OutboxRouter.defaults();
    ProducerRecord r = router.route(event("outbox", Operation.CREATE, null, row("id", "e-1",
        "aggregatetype", "Order", "aggregateid", "o-9", "type", "OrderCreated", "payload",
        "{\"total\":10}")));
    assertEquals("outbox.event.Order", r.topic());
    assertEquals("o-9", new String(r.key(), StandardCharsets.UTF_8));
    assertEquals("{\"total\":10}", new String(r.value(), StandardCharsets.UTF_8));
    assertEquals(List.of("id=e-1", "type=OrderCreated"), r.headers().stream()
        .map((Header h) -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8))
        .toList());
    assertNull(router.route(event("outbox", Operation.DELETE, row("id", "e-1"), null)));
    assertNull(router.route(event("outbox", Operation.UPDATE, null, row("id", "e-1"))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        router.route(event("outbox", Operation.CREATE, null, row("id", "e-2"))));
    assertTrue(e.getMessage().contains("has no 'aggregatetype'"), e.getMessage());
  }
}
