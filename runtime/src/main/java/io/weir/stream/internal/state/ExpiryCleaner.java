package io.weir.stream.internal.state;

import io.weir.stream.internal.KeyGroupRange;
import java.util.List;

/**
 * Incremental cleanup of expired state: a cursor over (state, key group, key) that resumes where
 * the previous call stopped, so repeated calls visit every entry in turn. The keys of a key group
 * are copied when the cursor enters it, so state may change between calls: a key removed
 * meanwhile is skipped, a key added is visited on the next round.
 */
final class ExpiryCleaner {
  private final KeyGroupRange range;
  private int stateIndex;
  private int groupIndex;
  private List<Object> keys;
  private int keyIndex;

  ExpiryCleaner(KeyGroupRange range) {
    this.range = range;
  }

  /**
   * Removes expired values, resuming at the cursor, until {@code budget} are removed or every
   * key of every state has been visited once in this call.
   *
   * @param states the states with a time to live, in a stable order; new ones only appended
   * @param budget the most values to remove, at least 0
   * @param now the processing time that decides expiry
   * @return how many values were removed
   */
  int clean(List<AbstractHeapState<?>> states, int budget, long now) {
    if (states.isEmpty()) {
      return 0;
    }
    int groups = range.size();
    // One round: every (state, key group) slot once, plus the slot the cursor is inside of.
    long slotsLeft = (long) states.size() * groups;
    int removed = 0;
    while (removed < budget) {
      if (keys == null) {
        if (slotsLeft-- == 0) {
          break;
        }
        keys = states.get(stateIndex).table.keys(range.start() + groupIndex);
        keyIndex = 0;
      }
      AbstractHeapState<?> state = states.get(stateIndex);
      while (keyIndex < keys.size() && removed < budget) {
        int limit = budget - removed;
        int n = state.removeExpired(range.start() + groupIndex, keys.get(keyIndex), now, limit);
        removed += n;
        if (n < limit) {
          // Else the key may hold more expired elements: look at it again next time.
          keyIndex++;
        }
      }
      if (keyIndex >= keys.size()) {
        keys = null;
        if (++groupIndex == groups) {
          groupIndex = 0;
          stateIndex = (stateIndex + 1) % states.size();
        }
      }
    }
    return removed;
  }
}
