package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.stream.StreamTestKit;
import io.weir.stream.internal.exec.StreamElement;
import java.util.List;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batches cross nodes as CBOR, each record with its class: records of any Jackson type. */
class StreamElementSerializationTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** A user's record type. */
  public record Click(String user, long at, List<String> tags) {}

  private Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(kit.weir().system().classicSystem());
    byte[] bytes = serialization.serialize(message).get();
    var serializer = serialization.findSerializerFor(message);
    return serialization.deserialize(bytes, serializer.identifier(),
        Serializers.manifestFor(serializer, message)).get();
  }

  @Test
  void batchesOfMixedRecordsRoundTrip() {
    StreamElement.Batch batch = new StreamElement.Batch(3,
        List.of("word", 42L, 7, new Click("ada", 1L, List.of("a", "b")), 2.5, true),
        new long[] {1, 2, 3, StreamElement.NO_TIMESTAMP, 5, 6});
    assertEquals(batch, roundTrip(batch));
    assertEquals(new StreamElement.Watermark(1, 99), roundTrip(new StreamElement.Watermark(1, 99)));
    assertEquals(new StreamElement.EndOfInput(2), roundTrip(new StreamElement.EndOfInput(2)));
  }
}
