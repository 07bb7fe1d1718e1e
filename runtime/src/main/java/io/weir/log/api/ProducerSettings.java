package io.weir.log.api;

import java.time.Duration;

/**
 * How a producer batches and retries. Immutable; {@code withXxx} returns a copy.
 *
 * @param linger how long a partition's first buffered record waits for more (default 5 ms)
 * @param batchBytes a batch is sent once it holds this many bytes (default 256 KiB)
 * @param bufferBytes {@link LogProducer#send} blocks while this much is unacknowledged (32 MiB)
 * @param maxInFlight batches per partition sent ahead of the oldest unacknowledged one, that
 *     one included (default 5; at most 5 for an idempotent producer, as in Kafka, because a
 *     partition remembers a producer's last five batches to answer a retry)
 * @param maxOutstanding records a {@link Log#producerFlow} keeps unacknowledged (default 65536)
 * @param requestTimeout how long a partition may take to acknowledge a batch (default 30 s)
 * @param idempotence whether the producer has a producer id and numbers its batches, so a
 *     retried batch is written once and a lost one is detected (default true, as in Kafka)
 * @param deliveryTimeout how long an idempotent producer retries a batch whose acknowledgement
 *     did not arrive before failing its records (default 2 min); it also bounds the wait for
 *     the producer's id
 */
public record ProducerSettings(Duration linger, int batchBytes, long bufferBytes, int maxInFlight,
    int maxOutstanding, Duration requestTimeout, boolean idempotence, Duration deliveryTimeout) {

  /** Checks every limit is positive. */
  public ProducerSettings {
    if (linger.isNegative() || batchBytes < 1 || bufferBytes < batchBytes || maxInFlight < 1
        || maxOutstanding < 1 || requestTimeout.isNegative() || requestTimeout.isZero()
        || deliveryTimeout.compareTo(requestTimeout) < 0) {
      throw new IllegalArgumentException("invalid producer settings: linger " + linger
          + ", batchBytes " + batchBytes + ", bufferBytes " + bufferBytes + ", maxInFlight "
          + maxInFlight + ", maxOutstanding " + maxOutstanding + ", requestTimeout "
          + requestTimeout + ", deliveryTimeout " + deliveryTimeout);
    }
    if (idempotence && maxInFlight > MAX_IDEMPOTENT_IN_FLIGHT) {
      throw new IllegalArgumentException("maxInFlight " + maxInFlight + " is too many for an "
          + "idempotent producer: a partition remembers a producer's last "
          + MAX_IDEMPOTENT_IN_FLIGHT + " batches to answer a retried one, so at most "
          + MAX_IDEMPOTENT_IN_FLIGHT + " may be in flight (or turn idempotence off)");
    }
  }

  /** The most batches an idempotent producer keeps in flight per partition. */
  public static final int MAX_IDEMPOTENT_IN_FLIGHT = 5;

  /** The defaults listed above. */
  public static ProducerSettings defaults() {
    return new ProducerSettings(Duration.ofMillis(5), 256 * 1024, 32L * 1024 * 1024, 5, 65_536,
        Duration.ofSeconds(30), true, Duration.ofMinutes(2));
  }

  /** A copy with another linger. */
  public ProducerSettings withLinger(Duration d) {
    return new ProducerSettings(d, batchBytes, bufferBytes, maxInFlight, maxOutstanding,
        requestTimeout, idempotence, deliveryTimeout);
  }

  /** A copy with another batch size (the buffer grows to hold at least one batch). */
  public ProducerSettings withBatchBytes(int bytes) {
    return new ProducerSettings(linger, bytes, Math.max(bufferBytes, bytes), maxInFlight,
        maxOutstanding, requestTimeout, idempotence, deliveryTimeout);
  }

  /** A copy with another buffer limit. */
  public ProducerSettings withBufferBytes(long bytes) {
    return new ProducerSettings(linger, batchBytes, bytes, maxInFlight, maxOutstanding,
        requestTimeout, idempotence, deliveryTimeout);
  }

  /** A copy with another in-flight limit. */
  public ProducerSettings withMaxInFlight(int n) {
    return new ProducerSettings(linger, batchBytes, bufferBytes, n, maxOutstanding,
        requestTimeout, idempotence, deliveryTimeout);
  }

  /** A copy with another limit of unacknowledged records in a producer flow. */
  public ProducerSettings withMaxOutstanding(int n) {
    return new ProducerSettings(linger, batchBytes, bufferBytes, maxInFlight, n, requestTimeout,
        idempotence, deliveryTimeout);
  }

  /** A copy with another request timeout (the delivery timeout grows to at least it). */
  public ProducerSettings withRequestTimeout(Duration d) {
    return new ProducerSettings(linger, batchBytes, bufferBytes, maxInFlight, maxOutstanding, d,
        idempotence, deliveryTimeout.compareTo(d) < 0 ? d : deliveryTimeout);
  }

  /** A copy with idempotence on or off. */
  public ProducerSettings withIdempotence(boolean on) {
    return new ProducerSettings(linger, batchBytes, bufferBytes, maxInFlight, maxOutstanding,
        requestTimeout, on, deliveryTimeout);
  }

  /** A copy with another delivery timeout. */
  public ProducerSettings withDeliveryTimeout(Duration d) {
    return new ProducerSettings(linger, batchBytes, bufferBytes, maxInFlight, maxOutstanding,
        requestTimeout, idempotence, d);
  }
}
