package io.weir.journal.internal;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One atomic write, encoded as a frame by {@link FrameCodec#encode}, on its way to the writer.
 *
 * @param persistenceId the partition it belongs to, never null
 * @param firstSeqNr the seqNr of its first event
 * @param lastSeqNr the seqNr of its last event
 * @param frame the frame bytes from position to limit, never null; not changed after hand-over
 */
public record EncodedWrite(String persistenceId, long firstSeqNr, long lastSeqNr,
    ByteBuffer frame) {

  /** Checks the values; see the record description. */
  public EncodedWrite {
    Objects.requireNonNull(persistenceId, "persistenceId");
    Objects.requireNonNull(frame, "frame");
    if (firstSeqNr < 1 || lastSeqNr < firstSeqNr) {
      throw new IllegalArgumentException(
          "seqNr range " + firstSeqNr + ".." + lastSeqNr + " is not valid");
    }
  }
}
