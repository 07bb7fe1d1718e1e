package io.weir.connectors.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * Where a {@link KafkaSource} starts reading partitions it has no checkpointed position for.
 * Resolved to concrete offsets by the enumerator when it discovers the partitions at the start
 * of the job; partitions that appear later (periodic discovery) start at their earliest offset,
 * so nothing written to them is missed. A job restored from a checkpoint resumes every partition
 * at its checkpointed offset instead.
 */
public sealed interface StartingOffsets {
  /** The earliest offset still in each partition. */
  static StartingOffsets earliest() {
    return new Earliest();
  }

  /** The end of each partition at the start: only records written afterwards are read. */
  static StartingOffsets latest() {
    return new Latest();
  }

  /**
   * The offsets the source's consumer group committed; partitions without one start at their
   * earliest offset. Needs a group id ({@link KafkaSource.Builder#groupId}).
   */
  static StartingOffsets committed() {
    return new Committed();
  }

  /**
   * The first record whose timestamp is at or after {@code epochMillis}; partitions without
   * one start at their end.
   *
   * @param epochMillis the timestamp in epoch milliseconds, at least 0
   */
  static StartingOffsets timestamp(long epochMillis) {
    return new Timestamp(epochMillis);
  }

  /**
   * Given offsets; partitions not in the map start at their earliest offset.
   *
   * @param offsets partition to the offset of the first record to read, never null
   */
  static StartingOffsets specific(Map<KafkaPartition, Long> offsets) {
    return new Specific(offsets);
  }

  /** See {@link StartingOffsets#earliest()}. */
  record Earliest() implements StartingOffsets {}

  /** See {@link StartingOffsets#latest()}. */
  record Latest() implements StartingOffsets {}

  /** See {@link StartingOffsets#committed()}. */
  record Committed() implements StartingOffsets {}

  /**
   * See {@link StartingOffsets#timestamp(long)}.
   *
   * @param epochMillis the timestamp
   */
  record Timestamp(long epochMillis) implements StartingOffsets {
    /** Checks the timestamp. */
    public Timestamp {
      if (epochMillis < 0) {
        throw new IllegalArgumentException("negative timestamp " + epochMillis);
      }
    }
  }

  /**
   * See {@link StartingOffsets#specific(Map)}.
   *
   * @param offsets partition to offset
   */
  record Specific(Map<KafkaPartition, Long> offsets) implements StartingOffsets {
    /** Checks and copies the offsets. */
    public Specific {
      offsets = Map.copyOf(Objects.requireNonNull(offsets, "offsets"));
      offsets.forEach((p, o) -> {
        if (o < 0) {
          throw new IllegalArgumentException("negative offset " + o + " for " + p);
        }
      });
    }
  }
}
