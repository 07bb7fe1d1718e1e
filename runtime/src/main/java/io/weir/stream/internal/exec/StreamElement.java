package io.weir.stream.internal.exec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.weir.api.CborSerializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What crosses an exchange between two subtasks: records in batches, and the control elements
 * that travel in-band with them (watermarks, the end of an input). Every element names the
 * channel it arrived on at its receiver (see {@link ExchangeLayout}), so a receiver can combine
 * watermarks and count ended inputs per upstream subtask.
 */
public sealed interface StreamElement extends CborSerializable {
  /** A timestamp slot of a record that has none. */
  long NO_TIMESTAMP = Long.MIN_VALUE;

  /** The channel at the receiver; -1 for elements a source vertex makes for itself. */
  int channel();

  /**
   * Records, a few hundred to a few thousand at a time: one message per batch, never per record.
   *
   * @param channel the receiver's channel
   * @param values the records, never null, none null; typed by class name on the wire
   * @param timestamps one per value, {@link #NO_TIMESTAMP} for none; read-only (batches share
   *     arrays: a stage that assigns timestamps writes a copy)
   */
  record Batch(int channel,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.WRAPPER_ARRAY)
      List<Object> values,
      long[] timestamps) implements StreamElement {
    /** Checks that there is one timestamp per value. */
    public Batch {
      Objects.requireNonNull(values, "values");
      Objects.requireNonNull(timestamps, "timestamps");
      if (values.size() != timestamps.length) {
        throw new IllegalArgumentException(values.size() + " values but " + timestamps.length
            + " timestamps");
      }
    }

    /** How many records. */
    public int size() {
      return timestamps.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Batch b && b.channel == channel && b.values.equals(values)
          && Arrays.equals(b.timestamps, timestamps);
    }

    @Override
    public int hashCode() {
      return Objects.hash(channel, values, Arrays.hashCode(timestamps));
    }

    @Override
    public String toString() {
      return "Batch(channel " + channel + ", " + values.size() + " records)";
    }
  }

  /**
   * The sender's event time: no record older than this will follow on the channel.
   *
   * @param channel the receiver's channel
   * @param timestamp epoch milliseconds; {@code Long.MAX_VALUE} at the end of input
   */
  record Watermark(int channel, long timestamp) implements StreamElement {}

  /**
   * The sender went idle (it holds no watermark back until it is active again) or active.
   *
   * @param channel the receiver's channel
   * @param idle true for idle, false for active again
   */
  record ChannelStatus(int channel, boolean idle) implements StreamElement {}

  /**
   * The barrier of a checkpoint: everything before it on the channel belongs to the checkpoint,
   * everything after to the next.
   *
   * @param channel the receiver's channel
   * @param checkpointId the checkpoint
   */
  record Barrier(int channel, long checkpointId) implements StreamElement {}

  /**
   * The sender has finished: nothing more comes on the channel.
   *
   * @param channel the receiver's channel
   */
  record EndOfInput(int channel) implements StreamElement {}
}
