package io.weir.benchmarks.log;

/** The correctness check every timed read passes before its figure counts. */
final class Verify {
  private Verify() {}

  /**
   * Checks that a side read back exactly what was written.
   *
   * @throws IllegalStateException naming the side, the topic and both digests otherwise
   */
  static void sameDigest(String side, String topic, Digest expected, Digest actual) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(side + ": reading " + topic + " back gave " + actual
          + ", but " + expected + " were written: records were lost, duplicated or altered");
    }
  }
}
