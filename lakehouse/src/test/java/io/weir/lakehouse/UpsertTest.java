package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Upserts and deletes by primary key give a table equal to a model map. */
class UpsertTest {
  static final Schema ACCOUNTS = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "owner", Types.StringType.get()),
      Types.NestedField.optional(3, "balance", Types.IntegerType.get()));

  @TempDir
  Path dir;

  static Map<Long, String> tableAsMap(Table table) throws Exception {
    table.refresh();
    Map<Long, String> out = new TreeMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        String previous = out.put((Long) r.getField("id"),
            r.getField("owner") + ":" + r.getField("balance"));
        if (previous != null) {
          throw new AssertionError("two rows for key " + r.getField("id"));
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "partitioned: {0}")
  @ValueSource(booleans = {false, true})
  void randomUpsertsAndDeletesMatchTheModel(boolean partitioned) throws Exception {
    long seed = System.nanoTime();
    System.out.println("UpsertTest seed " + seed + " partitioned " + partitioned);
    Random random = new Random(seed);
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      TableDefinition definition = TableDefinition.of(ACCOUNTS).withPrimaryKey("id");
      Table table = lakehouse.createTable("accounts",
          partitioned ? definition.withPartitioning("bucket(4, id)") : definition);
      SinkDriver driver = new SinkDriver(IcebergSink.upsert(settings, "accounts", "s"));
      Map<Long, String> model = new TreeMap<>();
      long checkpoint = 0;
      for (int op = 0; op < 3000; op++) {
        long key = random.nextInt(60);
        if (random.nextInt(5) == 0) {
          driver.write(Row.delete(Map.of("id", key)));
          model.remove(key);
        } else {
          Map<String, Object> values = new HashMap<>();
          values.put("id", key);
          values.put("owner", "o" + random.nextInt(1000));
          values.put("balance", random.nextInt(100_000));
          driver.write(random.nextBoolean() ? Row.upsert(values) : Row.insert(values));
          model.put(key, values.get("owner") + ":" + values.get("balance"));
        }
        if (random.nextInt(250) == 0) {
          driver.checkpoint(++checkpoint);
          assertEquals(model, tableAsMap(table), "seed " + seed + " after checkpoint "
              + checkpoint);
        }
      }
      driver.checkpoint(++checkpoint);
      driver.close();
      assertEquals(model, tableAsMap(table), "seed " + seed);
    }
  }
}
