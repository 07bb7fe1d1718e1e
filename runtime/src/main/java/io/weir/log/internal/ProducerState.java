package io.weir.log.internal;

import java.util.ArrayDeque;

/**
 * What a partition remembers of one idempotent producer: its newest epoch, the last sequence
 * number it wrote, and its last few batches, so a retried batch is answered with its first
 * offset instead of being written twice (Kafka keeps five; so does Weir). Rebuilt from the
 * journal's batches on recovery; confined to the partition's actor.
 */
final class ProducerState {
  /** Batches remembered per producer for deduplication. */
  static final int REMEMBERED_BATCHES = io.weir.log.api.ProducerSettings.MAX_IDEMPOTENT_IN_FLIGHT;

  /** One remembered batch. */
  record Written(int firstSequence, int lastSequence, long firstOffset, long appendTime) {}

  short epoch;
  int lastSequence = -1;
  final ArrayDeque<Written> recent = new ArrayDeque<>(REMEMBERED_BATCHES);

  /** The remembered batch with exactly these sequence numbers, or null. */
  Written find(int firstSequence, int lastSequence) {
    for (Written w : recent) {
      if (w.firstSequence() == firstSequence && w.lastSequence() == lastSequence) {
        return w;
      }
    }
    return null;
  }

  /** A transaction marker of {@code markerEpoch} was written: a newer epoch fences the old. */
  void fence(short markerEpoch) {
    if (markerEpoch > epoch) {
      epoch = markerEpoch;
      lastSequence = -1;
      recent.clear();
    }
  }

  /** Records a written batch of this producer (a new epoch forgets the old one's batches). */
  void written(short batchEpoch, int firstSequence, int count, long firstOffset, long appendTime) {
    if (batchEpoch != epoch) {
      epoch = batchEpoch;
      recent.clear();
    }
    lastSequence = firstSequence + count - 1;
    if (recent.size() == REMEMBERED_BATCHES) {
      recent.removeFirst();
    }
    recent.addLast(new Written(firstSequence, lastSequence, firstOffset, appendTime));
  }
}
