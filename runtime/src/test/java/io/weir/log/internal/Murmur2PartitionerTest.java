package io.weir.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Keys land in the partition Kafka's default partitioner picks, for random keys of any length. */
class Murmur2PartitionerTest {
  @Test
  void matchesKafkasMurmur2AndPartitionForRandomKeys() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      byte[] key = new byte[random.nextInt(40)];
      random.nextBytes(key);
      int partitions = 1 + random.nextInt(64);
      assertEquals(Utils.murmur2(key), Murmur2Partitioner.murmur2(key), "seed " + seed);
      assertEquals(BuiltInPartitioner.partitionForKey(key, partitions),
          Murmur2Partitioner.partition(key, partitions), "seed " + seed);
    }
  }
}
