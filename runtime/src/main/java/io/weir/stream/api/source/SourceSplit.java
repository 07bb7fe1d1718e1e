package io.weir.stream.api.source;

import io.weir.api.CborSerializable;

/**
 * A piece of a source's input that one reader reads in order: a log partition, a file, a
 * table's key range. A split is an immutable record that also carries its read position, so a
 * reader's {@code snapshotState} returns splits with their current positions. It travels
 * between the enumerator and readers and into checkpoints, so it must serialize with Jackson
 * CBOR.
 */
public interface SourceSplit extends CborSerializable {
  /** Identifies the split within its source, never null; stable across restarts. */
  String splitId();
}
