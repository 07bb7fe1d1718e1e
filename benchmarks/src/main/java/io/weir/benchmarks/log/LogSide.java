package io.weir.benchmarks.log;

/**
 * One side of the log benchmark (Weir, or the peer), with its durability fixed when it is
 * opened. Each operation blocks until done and checks what it did: a side that loses, duplicates
 * or alters a record fails with an {@link IllegalStateException} saying so. Not thread-safe.
 */
public interface LogSide extends AutoCloseable {

  /** {@code weir} or the peer's name. */
  String name();

  /** How this side acknowledges writes and with which configuration, in words. */
  String durability();

  /**
   * Whether this side runs with the durability it was opened for. When it does not (a
   * configuration override changed it), its figures are reported under names ending in
   * {@code -unequal}, so that no script takes them for a like-for-like comparison.
   */
  default boolean durabilityAsAsked() {
    return true;
  }

  /** Creates an empty topic of {@code partitions} partitions with this side's durability. */
  void createTopic(String topic, int partitions) throws Exception;

  /**
   * Appends every record of {@code workload} to {@code topic} and waits until every append is
   * acknowledged.
   *
   * @return the nanoseconds from the first send to the last acknowledgement
   */
  long produce(String topic, Workload workload) throws Exception;

  /**
   * Reads {@code topic} from the beginning until it has read {@code workload.size()} records,
   * and checks their count and checksum against {@code workload}.
   *
   * @return the nanoseconds from opening the reader to the last record
   */
  long consume(String topic, Workload workload) throws Exception;

  /**
   * Tails {@code topic} while a producer sends at a fixed rate, measuring each record's latency
   * from its due send time to its consumption (see {@link LatencyProbe}).
   *
   * @param values the values to send (record {@code i} has value {@code i % size})
   */
  LatencyProbe.Latencies latency(String topic, Workload values, LatencyProbe probe)
      throws Exception;

  /** Deletes {@code topic} and its records, best effort. */
  void deleteTopic(String topic);

  /** Stops this side and frees what it holds (data directories included). */
  @Override
  void close();
}
