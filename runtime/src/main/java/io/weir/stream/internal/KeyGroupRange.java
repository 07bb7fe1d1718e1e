package io.weir.stream.internal;

/**
 * A contiguous range of key groups, {@code start} to {@code end} inclusive: what one subtask of
 * a keyed vertex owns. Ranges follow Flink's {@code KeyGroupRangeAssignment}, so subtask
 * {@code i} of {@code p} owns about {@code maxParallelism / p} groups, and changing {@code p}
 * moves whole key groups: state can be split or merged from a checkpoint.
 *
 * @param start the first key group, at least 0
 * @param end the last key group, at least {@code start}
 */
public record KeyGroupRange(int start, int end) {
  /** Checks the bounds. */
  public KeyGroupRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("invalid key group range " + start + ".." + end);
    }
  }

  /**
   * The range of subtask {@code index} of {@code parallelism}.
   *
   * @param maxParallelism the number of key groups, at least 1
   * @param parallelism from 1 to {@code maxParallelism}
   * @param index from 0 to {@code parallelism - 1}
   * @return never empty
   * @throws IllegalArgumentException when an argument is out of range
   */
  public static KeyGroupRange forSubtask(int maxParallelism, int parallelism, int index) {
    KeyGroups.checkParallelism(maxParallelism, parallelism);
    if (index < 0 || index >= parallelism) {
      throw new IllegalArgumentException(
          "subtask index " + index + " out of range for parallelism " + parallelism);
    }
    // Ceiling of the start and floor of the end: the inverse of KeyGroups.subtaskOf.
    int start = (int) (((long) index * maxParallelism + parallelism - 1) / parallelism);
    int end = (int) ((((long) index + 1) * maxParallelism - 1) / parallelism);
    return new KeyGroupRange(start, end);
  }

  /** Whether the range holds {@code keyGroup}. */
  public boolean contains(int keyGroup) {
    return keyGroup >= start && keyGroup <= end;
  }

  /** How many key groups. */
  public int size() {
    return end - start + 1;
  }
}
