package io.weir.benchmarks.nexmark;

/**
 * One system under test: runs a query over generated events to the end and reports what it
 * produced and how long it took. Not thread-safe: one run at a time.
 */
public interface NexmarkSide extends AutoCloseable {

  /** What one run took and produced. */
  record Run(long nanos, Digest digest) {
    /** Events per second over the run. */
    public double eventsPerSecond(long events) {
      return events / (nanos / 1e9);
    }
  }

  /** The system's name in the output ({@code weir}, {@code flink}). */
  String name();

  /**
   * Runs {@code query} over events {@code 0..events-1} of the generator seeded {@code seed},
   * blocking until the job ended.
   *
   * @param full whether the sink takes full fingerprints (the cross-check) or light ones only
   *     (timed runs)
   * @return the time from submission to the job's end, and the digest of its results
   * @throws Exception when the job fails or does not end in time
   */
  Run run(Query query, long events, long seed, int parallelism, boolean full) throws Exception;

  /** Stops the system and frees what it holds. */
  @Override
  void close();
}
