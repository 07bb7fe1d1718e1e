package io.weir.connectors.kafka;

/**
 * A Kafka source cannot go on: a record that cannot be deserialized (the message names its
 * topic, partition and offset), a topic that does not exist, or a broker that refuses. It fails
 * the job, whose restart strategy then decides.
 */
public final class KafkaSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong and where, never null
   * @param cause the underlying failure; may be null
   */
  public KafkaSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
