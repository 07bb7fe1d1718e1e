package io.weir.lakehouse;

import static io.weir.lakehouse.TableFeaturesTest.EVENTS;
import static io.weir.lakehouse.TableFeaturesTest.event;
import static io.weir.lakehouse.TableFeaturesTest.ids;
import static io.weir.lakehouse.TableFeaturesTest.range;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.stream.StreamTestKit;
import io.weir.stream.internal.exec.StreamElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the global committer, committables travel from the writers to the committer as records
 * of an exchange, which crosses nodes as CBOR: a batch of them round-trips through Pekko's
 * serialization and still commits every row (partition tuples and bounds intact).
 */
class CommittableTransportTest {
  private static StreamTestKit kit;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void committablesInABatchRoundTripAndCommit() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      lakehouse.createTable("events", TableDefinition.of(EVENTS).withPartitioning("day(ts)"));
      IcebergSink sink = IcebergSink.append(settings, "events", "sink-1");
      List<IcebergCommittable> staged = new ArrayList<>();
      try (SinkDriver a = new SinkDriver(sink, 0); SinkDriver b = new SinkDriver(sink, 1)) {
        for (long i = 0; i < 200; i++) {
          (i % 2 == 0 ? a : b).write(Row.insert(event(i)));
        }
        staged.addAll(a.precommit(1));
        staged.addAll(b.precommit(1));
        StreamElement.Batch batch = new StreamElement.Batch(0, List.copyOf(staged),
            new long[] {StreamElement.NO_TIMESTAMP, StreamElement.NO_TIMESTAMP});
        StreamElement.Batch back = (StreamElement.Batch) roundTrip(batch);
        List<IcebergCommittable> received = new ArrayList<>();
        back.values().forEach(v -> received.add((IcebergCommittable) v));
        assertEquals(2, received.size());
        a.committer.commit(1, received);
      }
      try (CloseableIterable<Record> rows = IcebergGenerics.read(lakehouse.loadTable("events"))
          .build()) {
        assertEquals(range(0, 200), ids(rows));
      }
    }
  }

  private static Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(kit.weir().system().classicSystem());
    byte[] bytes = serialization.serialize(message).get();
    var serializer = serialization.findSerializerFor(message);
    return serialization.deserialize(bytes, serializer.identifier(),
        Serializers.manifestFor(serializer, message)).get();
  }
}
