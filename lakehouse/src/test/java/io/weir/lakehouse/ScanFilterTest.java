package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** {@link ScanFilter}: filters parsed and evaluated by Iceberg's own evaluator on records. */
class ScanFilterTest {
  static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "owner", Types.StringType.get()),
      Types.NestedField.optional(3, "n", Types.IntegerType.get()),
      Types.NestedField.optional(4, "amount", Types.DecimalType.of(10, 2)),
      Types.NestedField.optional(5, "active", Types.BooleanType.get()),
      Types.NestedField.optional(6, "ts", Types.TimestampType.withoutZone()),
      Types.NestedField.optional(7, "at", Types.TimestampType.withZone()),
      Types.NestedField.optional(8, "day", Types.DateType.get()),
      Types.NestedField.optional(9, "score", Types.DoubleType.get()));

  final List<Record> rows = new ArrayList<>();

  ScanFilterTest() {
    rows.add(row(1, "ann", 10, "1.50", true, "2026-11-24T09:00:00", 1.0));
    rows.add(row(2, "bob", 20, "20.00", false, "2026-11-24T10:00:00", 2.5));
    rows.add(row(3, null, null, null, null, null, -3.0));
    rows.add(row(4, "o'neil", 40, "99.99", true, "2026-11-25T00:00:00", 1e3));
  }

  private static Record row(long id, String owner, Integer n, String amount, Boolean active,
      String ts, double score) {
    GenericRecord r = GenericRecord.create(SCHEMA);
    r.setField("id", id);
    r.setField("owner", owner);
    r.setField("n", n);
    r.setField("amount", amount == null ? null : new BigDecimal(amount));
    r.setField("active", active);
    r.setField("ts", ts == null ? null : LocalDateTime.parse(ts));
    r.setField("at", ts == null ? null : OffsetDateTime.parse(ts + "Z"));
    r.setField("day", ts == null ? null : LocalDate.parse(ts.substring(0, 10)));
    r.setField("score", score);
    return r;
  }

  /** The ids of the rows the filter keeps. */
  private List<Long> ids(String filter) {
    Expression e = ScanFilter.parse(filter, SCHEMA);
    Evaluator evaluator = new Evaluator(SCHEMA.asStruct(), e);
    InternalRecordWrapper wrapper = new InternalRecordWrapper(SCHEMA.asStruct());
    List<Long> out = new ArrayList<>();
    for (Record r : rows) {
      if (evaluator.eval(wrapper.wrap(r))) {
        out.add((Long) r.getField("id"));
      }
    }
    return out;
  }

  @Test
  void comparisons() {
    assertEquals(List.of(2L), ids("id = 2"));
    assertEquals(List.of(1L, 3L, 4L), ids("id != 2"));
    assertEquals(List.of(1L, 3L, 4L), ids("id <> 2"));
    assertEquals(List.of(1L, 2L), ids("id < 3"));
    assertEquals(List.of(1L, 2L, 3L), ids("id <= 3"));
    assertEquals(List.of(4L), ids("id>3"));
    assertEquals(List.of(3L, 4L), ids("id >= 3"));
    assertEquals(List.of(3L), ids("score < -2.5"));
    assertEquals(List.of(4L), ids("score >= 1e3"));
    assertEquals(List.of(2L, 4L), ids("n >= 20"));
  }

  @Test
  void typedLiterals() {
    assertEquals(List.of(4L), ids("owner = 'o''neil'"));
    assertEquals(List.of(1L, 4L), ids("active = true"));
    assertEquals(List.of(2L), ids("active = FALSE"));
    assertEquals(List.of(2L, 4L), ids("amount > 1.5"));
    assertEquals(List.of(2L), ids("amount = '20'"));
    assertEquals(List.of(2L, 4L), ids("ts >= '2026-11-24T10:00:00'"));
    assertEquals(List.of(1L), ids("at < '2026-11-24T10:30:00+01:00'"));
    assertEquals(List.of(4L), ids("day = '2026-11-25'"));
  }

  @Test
  void nullsInAndLogic() {
    assertEquals(List.of(3L), ids("owner IS NULL"));
    assertEquals(List.of(1L, 2L, 4L), ids("owner is not null"));
    assertEquals(List.of(1L, 4L), ids("id IN (1, 4, 7)"));
    assertEquals(List.of(2L, 3L), ids("id NOT IN (1,4)"));
    assertEquals(List.of(1L, 2L), ids("owner in ('ann', 'bob')"));
    assertEquals(List.of(2L), ids("id > 1 AND active = false"));
    assertEquals(List.of(1L, 3L), ids("id = 1 OR owner IS NULL"));
    // AND binds tighter than OR; parentheses change it
    assertEquals(List.of(1L, 2L, 4L), ids("id = 1 OR id = 2 AND n = 20 OR id = 4"));
    assertEquals(List.of(2L), ids("(id = 1 OR id = 2) AND n = 20"));
    assertEquals(List.of(3L, 4L), ids("NOT (id = 1 OR id = 2)"));
    assertEquals(List.of(1L, 2L), ids("NOT NOT id < 3"));
    // a comparison with null keeps no row, negated or not (SQL's three-valued logic)
    assertEquals(List.of(1L), ids("n < 20"));
    assertEquals(List.of(2L, 4L), ids("NOT n < 20"));
    assertEquals(List.of(1L, 2L), ids("owner != 'o''neil'"));
    assertEquals(List.of(2L, 4L), ids("NOT (n < 20 OR owner IS NULL)"));
    assertEquals(List.of(4L), ids("owner NOT IN ('ann', 'bob')"));
    assertEquals(List.of(1L, 2L, 3L, 4L), ids("  "));
    assertEquals(List.of(4L), ids("\"id\" = 4"));
  }

  private static String error(String filter) {
    return assertThrows(IllegalArgumentException.class, () -> ScanFilter.parse(filter, SCHEMA))
        .getMessage();
  }

  @Test
  void errorsNamePositionAndExpectation() {
    assertTrue(error("x = 1").startsWith("unknown column 'x' at 1 (columns: id, owner,"),
        error("x = 1"));
    assertTrue(error("id = 1 AND nope > 2").startsWith("unknown column 'nope' at 12"));
    assertEquals("expected a value after '>=' at 10, got the end in: owner >= ", error(
        "owner >= "));
    assertTrue(error("id >= AND").startsWith("expected a value after '>=' at 7"));
    assertTrue(error("id = 'one'").startsWith(
        "expected a value of type long for column 'id' at 6, got 'one'"), error("id = 'one'"));
    assertTrue(error("n = 3000000000").startsWith(
        "expected a value of type int for column 'n' at 5"));
    assertTrue(error("owner = ann").startsWith(
        "expected a value of type string for column 'owner' at 9, got 'ann'"
            + " (a 'quoted string')"));
    assertTrue(error("ts > '24.11.2026'").startsWith(
        "expected a value of type timestamp for column 'ts' at 6"), error("ts > '24.11.2026'"));
    assertTrue(error("amount = 1.234").startsWith(
        "expected a value of type decimal(10, 2) for column 'amount' at 10"),
        error("amount = 1.234"));
    assertTrue(error("active = 1").startsWith(
        "expected a value of type boolean for column 'active'"));
    assertTrue(error("id = NULL").startsWith("NULL is no value to compare with"));
    assertTrue(error("id 5").startsWith("expected an operator (= != < <= > >= IS IN) after"
        + " column 'id' at 4, got '5'"), error("id 5"));
    assertTrue(error("(id = 1").startsWith("expected ')' at 8, got the end"));
    assertTrue(error("id = 1 id = 2").startsWith("expected AND, OR or the end at 8"));
    assertTrue(error("id IN (1, 2").startsWith("expected ',' or ')' at 12"));
    assertTrue(error("id IN 1").startsWith("expected '(' after IN at 7"));
    assertTrue(error("owner IS nul").startsWith("expected NULL after 'IS' at 10"));
    assertTrue(error("AND = 1").startsWith("expected a column name at 1"));
    assertTrue(error("owner = 'ann").startsWith("unterminated string starting at 9"));
    assertTrue(error("id = 1 ; drop").startsWith("unexpected character ';' at 8"));
    assertTrue(error("id NOT 1").startsWith("expected IN after NOT at 8"));
  }
}
