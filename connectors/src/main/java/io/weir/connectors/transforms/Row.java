package io.weir.connectors.transforms;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.weir.api.CborSerializable;
import io.weir.connectors.postgres.internal.RowImageJson;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A row's new state, unwrapped from a change event (Debezium's {@code ExtractNewRecordState}):
 * the column values, the table, the operation, and whether the row was deleted. Serializes
 * with every value's Java type kept.
 *
 * @param schema the table's schema
 * @param table the table
 * @param op the change's operation code ({@code c}, {@code u}, {@code d}, {@code r})
 * @param deleted whether the row was deleted (then {@code values} is the row before)
 * @param values column name to value, in table order; never null
 */
public record Row(String schema, String table, String op, boolean deleted,
    @JsonSerialize(using = RowImageJson.Serializer.class)
    @JsonDeserialize(using = RowImageJson.Deserializer.class)
    Map<String, Object> values) implements CborSerializable {
  /** Checks and copies. */
  public Row {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(op, "op");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** One column's value; null when SQL NULL or absent. */
  public Object get(String column) {
    return values.get(column);
  }
}
