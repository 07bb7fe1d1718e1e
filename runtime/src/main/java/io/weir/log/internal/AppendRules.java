package io.weir.log.internal;

import io.weir.api.WeirException;
import io.weir.log.api.InvalidRecordException;
import io.weir.log.api.OutOfOrderSequenceException;
import io.weir.log.api.ProducerFencedException;
import io.weir.log.api.RecordTooLargeException;
import io.weir.log.api.TopicConfig;

/** What a partition refuses to append, as errors that name the problem. */
final class AppendRules {
  private AppendRules() {}

  /** Refuses a stale epoch or a sequence that does not follow; null when the batch may go on. */
  static WeirException sequenceError(ProducerState producer, PartitionEntity.Append cmd,
      String partition) {
    String where = " on " + partition;
    if (producer != null && cmd.producerEpoch() < producer.epoch) {
      return new ProducerFencedException("producer " + cmd.producerId() + " epoch "
          + cmd.producerEpoch() + " is fenced" + where + ": epoch " + producer.epoch
          + " has taken over");
    }
    boolean sameEpoch = producer != null && cmd.producerEpoch() == producer.epoch;
    if (sameEpoch && producer.find(cmd.baseSequence(),
        cmd.baseSequence() + cmd.records().size() - 1) != null) {
      return null; // a retried batch: answered from memory
    }
    int expected = sameEpoch ? producer.lastSequence + 1 : 0;
    if (cmd.baseSequence() != expected) {
      return new OutOfOrderSequenceException("producer " + cmd.producerId() + " sent sequence "
          + cmd.baseSequence() + where + " but the next expected is " + expected
          + " (a batch was lost or reordered)");
    }
    return null;
  }

  /** Refuses a record its topic does not accept; null when it may be stored. */
  static WeirException recordError(StoredRecord r, TopicConfig config, String topic) {
    if (r.sizeInBytes() > config.maxMessageBytes()) {
      return new RecordTooLargeException("record of " + r.sizeInBytes()
          + " bytes exceeds max.message.bytes=" + config.maxMessageBytes()
          + " of topic '" + topic + "'");
    }
    if (config.compact() && r.key() == null) {
      return new InvalidRecordException("topic '" + topic
          + "' is compacted: every record needs a key");
    }
    return null;
  }

}
