package io.weir.benchmarks.nexmark;

/**
 * Runs a query on both systems over the same events and compares what they produced (the count
 * and the order-independent checksums of results, with full fingerprints), before anything is
 * timed.
 */
public final class CrossCheck {
  private CrossCheck() {}

  /** Both systems' digests of one query. */
  public record Outcome(Query query, Digest weir, Digest peer) {
    /** Whether both produced the same results. */
    public boolean agrees() {
      return weir.equals(peer);
    }
  }

  /**
   * Runs {@code query} on both sides.
   *
   * @return both digests; {@link Outcome#agrees()} says whether they match
   */
  public static Outcome run(NexmarkSide weir, NexmarkSide peer, Query query, long events,
      long seed, int parallelism) throws Exception {
    Digest w = weir.run(query, events, seed, parallelism, true).digest();
    Digest p = peer.run(query, events, seed, parallelism, true).digest();
    return new Outcome(query, w, p);
  }

  /**
   * Runs {@code query} on both sides and fails unless they agree.
   *
   * @throws ResultMismatchException naming the query and both digests
   */
  public static Outcome verify(NexmarkSide weir, NexmarkSide peer, Query query, long events,
      long seed, int parallelism) throws Exception {
    Outcome o = run(weir, peer, query, events, seed, parallelism);
    if (!o.agrees()) {
      throw new ResultMismatchException("nexmark " + query.label() + " (" + query.what()
          + "): Weir and " + peer.name() + " disagree on " + events + " events, seed " + seed
          + ", parallelism " + parallelism + ": weir " + o.weir() + ", " + peer.name() + " "
          + o.peer());
    }
    if (o.weir().count() == 0) {
      throw new ResultMismatchException("nexmark " + query.label() + ": no results on either "
          + "side from " + events + " events (seed " + seed + "); too few events to check");
    }
    return o;
  }

  /** Weir and its peer produced different results for the same events. */
  public static final class ResultMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResultMismatchException(String message) {
      super(message);
    }
  }
}
