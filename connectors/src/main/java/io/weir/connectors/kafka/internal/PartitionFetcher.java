package io.weir.connectors.kafka.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that owns a reader's {@link KafkaConsumer} (which is not thread-safe): it applies
 * the reader's requests (assign and seek, unassign, commit offsets), polls, and queues what it
 * fetched, each batch with the consumer's positions after it. The queue is bounded, so a slow
 * job holds the fetching back.
 */
final class PartitionFetcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionFetcher.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * What one poll fetched, or why fetching stopped.
   *
   * @param records the records, in offset order per partition; empty when only positions moved
   * @param positions the consumer's position of each assigned partition after the records
   * @param failure the failure that stopped the fetcher; null when none
   */
  record Fetch(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> positions,
      Throwable failure) {}

  private final Map<String, Object> config;
  private final BlockingQueue<Fetch> queue = new ArrayBlockingQueue<>(4);
  private final ConcurrentLinkedQueue<Consumer<KafkaConsumer<byte[], byte[]>>> requests =
      new ConcurrentLinkedQueue<>();
  private final Runnable signal;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, Long> reported = new HashMap<>();

  /**
   * @param config the consumer's configuration
   * @param signal called (on the fetcher's thread) after something was queued
   */
  PartitionFetcher(Map<String, Object> config, Runnable signal) {
    this.config = config;
    this.signal = signal;
  }

  /** The next fetched batch, or null when there is none now. Any thread. */
  Fetch next() {
    return queue.poll();
  }

  /** Whether a batch is waiting. */
  boolean hasNext() {
    return !queue.isEmpty();
  }

  /** Starts reading partitions from offsets. Any thread. */
  void add(Map<TopicPartition, Long> offsets) {
    request(c -> {
      Set<TopicPartition> assigned = new HashSet<>(c.assignment());
      assigned.addAll(offsets.keySet());
      c.assign(assigned);
      offsets.forEach(c::seek);
    });
  }

  /** Stops reading a partition. Any thread. */
  void remove(TopicPartition partition) {
    request(c -> {
      Set<TopicPartition> assigned = new HashSet<>(c.assignment());
      assigned.remove(partition);
      c.assign(assigned);
      reported.remove(partition);
    });
  }

  /** Commits offsets to the consumer group, asynchronously; a failure is only logged. */
  void commit(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
    request(c -> c.commitAsync(commit, (done, e) -> {
      if (e != null) {
        LOG.warn("committing offsets {} to the consumer group failed (they are only for"
            + " monitoring; the job's checkpoints hold the positions): {}", done, e.toString());
      }
    }));
  }

  private void request(Consumer<KafkaConsumer<byte[], byte[]>> request) {
    requests.add(request);
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Stops the thread; it closes the consumer. Any thread. */
  void stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  @Override
  public void run() {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config)) {
      consumer = c;
      while (running) {
        for (var r = requests.poll(); r != null; r = requests.poll()) {
          r.accept(c);
        }
        if (c.assignment().isEmpty()) {
          Thread.sleep(20);
          continue;
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = c.poll(POLL);
        } catch (WakeupException woken) {
          continue;
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        boolean moved = false;
        for (TopicPartition tp : c.assignment()) {
          long position = c.position(tp, Duration.ofSeconds(30));
          positions.put(tp, position);
          Long before = reported.put(tp, position);
          moved |= before == null || before != position;
        }
        if (!records.isEmpty() || moved) {
          put(new Fetch(records, positions, null));
        }
      }
    } catch (WakeupException stopping) {
      // stop() during a request
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      if (running) {
        queue.clear();
        queue.offer(new Fetch(ConsumerRecords.empty(), Map.of(), e));
        signal.run();
      }
    }
  }

  private void put(Fetch fetch) throws InterruptedException {
    while (running) {
      if (queue.offer(fetch, 100, TimeUnit.MILLISECONDS)) {
        signal.run();
        return;
      }
    }
  }
}
