package io.weir.log.api;

import io.weir.api.CborSerializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A topic's configuration, with Kafka's key names and meanings. Immutable; validated on
 * construction, so an instance is always usable.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>retention.ms</td><td>604800000 (7 days)</td><td>delete batches whose newest record is
 *     older; -1 keeps forever</td></tr>
 * <tr><td>retention.bytes</td><td>-1</td><td>delete the oldest batches while a partition holds
 *     more; -1 = no limit</td></tr>
 * <tr><td>cleanup.policy</td><td>delete</td><td>{@code delete}, {@code compact} or
 *     {@code compact,delete}</td></tr>
 * <tr><td>max.message.bytes</td><td>1048588</td><td>the largest record batch a partition
 *     accepts</td></tr>
 * <tr><td>segment.bytes</td><td>16777216</td><td>the unit of cleaning: retention deletes at
 *     least this much at a time, and compaction leaves the newest segment.bytes as they are</td></tr>
 * <tr><td>delete.retention.ms</td><td>86400000</td><td>how long compaction keeps a tombstone
 *     (a null value)</td></tr>
 * <tr><td>message.timestamp.type</td><td>CreateTime</td><td>{@code CreateTime} or
 *     {@code LogAppendTime}</td></tr>
 * </table>
 *
 * @param retentionMs see the table, -1 for forever
 * @param retentionBytes see the table, -1 for no limit
 * @param delete whether the cleanup policy includes {@code delete}
 * @param compact whether the cleanup policy includes {@code compact}
 * @param maxMessageBytes see the table
 * @param segmentBytes see the table
 * @param deleteRetentionMs see the table
 * @param timestampType see the table
 */
public record TopicConfig(
    long retentionMs, long retentionBytes, boolean delete, boolean compact, int maxMessageBytes,
    long segmentBytes, long deleteRetentionMs, TimestampType timestampType)
    implements CborSerializable {

  /** The configuration keys a topic accepts. */
  public static final Set<String> KEYS = Set.of("retention.ms", "retention.bytes",
      "cleanup.policy", "max.message.bytes", "segment.bytes", "delete.retention.ms",
      "message.timestamp.type");

  /** Validates every value. */
  public TopicConfig {
    if (retentionMs < -1 || retentionMs == 0) {
      throw new InvalidTopicException("retention.ms must be positive or -1, was " + retentionMs);
    }
    if (retentionBytes < -1 || retentionBytes == 0) {
      throw new InvalidTopicException(
          "retention.bytes must be positive or -1, was " + retentionBytes);
    }
    if (!delete && !compact) {
      throw new InvalidTopicException("cleanup.policy must include delete or compact");
    }
    if (maxMessageBytes < 1) {
      throw new InvalidTopicException("max.message.bytes must be positive, was " + maxMessageBytes);
    }
    if (segmentBytes < 1024) {
      throw new InvalidTopicException("segment.bytes must be at least 1024, was " + segmentBytes);
    }
    if (deleteRetentionMs < 0) {
      throw new InvalidTopicException(
          "delete.retention.ms must be >= 0, was " + deleteRetentionMs);
    }
    if (timestampType == null) {
      throw new InvalidTopicException("message.timestamp.type is required");
    }
  }

  /** The defaults, as in the table above. */
  public static TopicConfig defaults() {
    return new TopicConfig(604_800_000L, -1, true, false, 1_048_588, 16_777_216L, 86_400_000L,
        TimestampType.CREATE_TIME);
  }

  /**
   * Applies {@code key=value} settings over these.
   *
   * @param settings keys from {@link #KEYS} with their values, never null
   * @return the new configuration
   * @throws InvalidTopicException naming the key when a key is unknown or a value is invalid
   */
  public TopicConfig with(Map<String, String> settings) {
    long rMs = retentionMs;
    long rBytes = retentionBytes;
    boolean del = delete;
    boolean comp = compact;
    int maxBytes = maxMessageBytes;
    long segBytes = segmentBytes;
    long delRetention = deleteRetentionMs;
    TimestampType tsType = timestampType;
    for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
      String key = e.getKey();
      String value = e.getValue().trim();
      switch (key) {
        case "retention.ms" -> rMs = parseLong(key, value);
        case "retention.bytes" -> rBytes = parseLong(key, value);
        case "max.message.bytes" -> maxBytes = (int) Math.min(Integer.MAX_VALUE, parseLong(key, value));
        case "segment.bytes" -> segBytes = parseLong(key, value);
        case "delete.retention.ms" -> delRetention = parseLong(key, value);
        case "cleanup.policy" -> {
          Set<String> parts = Set.of(value.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
          if (!Set.of("delete", "compact").containsAll(parts)) {
            throw new InvalidTopicException("invalid cleanup.policy '" + value
                + "': expected delete, compact or compact,delete");
          }
          del = parts.contains("delete");
          comp = parts.contains("compact");
        }
        case "message.timestamp.type" -> tsType = switch (value) {
          case "CreateTime" -> TimestampType.CREATE_TIME;
          case "LogAppendTime" -> TimestampType.LOG_APPEND_TIME;
          default -> throw new InvalidTopicException("invalid message.timestamp.type '" + value
              + "': expected CreateTime or LogAppendTime");
        };
        default -> throw new InvalidTopicException("unknown topic config key '" + key
            + "'; known keys: " + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    return new TopicConfig(rMs, rBytes, del, comp, maxBytes, segBytes, delRetention, tsType);
  }

  /** The configuration as Kafka-style {@code key=value} strings, in key order. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cleanup.policy", delete && compact ? "compact,delete" : compact ? "compact" : "delete");
    m.put("delete.retention.ms", Long.toString(deleteRetentionMs));
    m.put("max.message.bytes", Integer.toString(maxMessageBytes));
    m.put("message.timestamp.type",
        timestampType == TimestampType.CREATE_TIME ? "CreateTime" : "LogAppendTime");
    m.put("retention.bytes", Long.toString(retentionBytes));
    m.put("retention.ms", Long.toString(retentionMs));
    m.put("segment.bytes", Long.toString(segmentBytes));
    return m;
  }

  private static long parseLong(String key, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidTopicException("invalid " + key + " '" + value + "': expected a whole number");
    }
  }
}
