package io.weir.benchmarks.log;

import org.slf4j.LoggerFactory;

/**
 * Keeps the Kafka clients' retry warnings (broker not up yet, metadata not yet propagated) off
 * the benchmark's output; {@code WEIR_LOG_LEVEL} set by the user leaves them as configured.
 */
final class Quiet {
  private Quiet() {}

  /**
   * Raises the Kafka clients' log level to ERROR when logback is the logging backend, and turns
   * off the admin client's internals, which log an ERROR for every "unknown topic" answer while
   * a new topic's leader is awaited. Failures that matter reach the benchmark as exceptions.
   */
  static void kafkaClients() {
    if (System.getenv("WEIR_LOG_LEVEL") == null) {
      level("org.apache.kafka", ch.qos.logback.classic.Level.ERROR);
      level("org.apache.kafka.clients.admin.internals", ch.qos.logback.classic.Level.OFF);
    }
  }

  private static void level(String logger, ch.qos.logback.classic.Level level) {
    if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(level);
    }
  }
}
