package io.weir.connectors.kafka;

import java.util.List;

/**
 * The checkpoint of a {@link KafkaSource}'s enumerator, a Jackson-serializable record.
 *
 * @param discovered every partition discovered so far (assigned or not), never null
 * @param unassigned discovered splits not handed to their reader yet, never null
 * @param initialDiscoveryDone whether the first discovery (with the starting offsets) is done
 */
public record KafkaEnumeratorState(List<KafkaPartition> discovered,
    List<KafkaPartitionSplit> unassigned, boolean initialDiscoveryDone) {
  /** Copies the lists. */
  public KafkaEnumeratorState {
    discovered = List.copyOf(discovered);
    unassigned = List.copyOf(unassigned);
  }
}
