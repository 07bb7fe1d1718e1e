package io.weir.connectors.postgres;

import java.util.List;

/**
 * The checkpoint of a {@link PostgresCdcSource}'s enumerator, a Jackson-serializable record (the
 * runtime serializes it as the source's {@code checkpointType()}).
 *
 * @param unassigned the split, if it was not handed to reader 0 yet (or was handed back)
 */
public record PgEnumeratorState(List<PgSplit> unassigned) {
  /** Copies the list. */
  public PgEnumeratorState {
    unassigned = List.copyOf(unassigned);
  }
}
