package io.weir.connectors.postgres;

import io.weir.api.CborSerializable;
import java.util.List;

/**
 * The checkpoint of a {@link PostgresCdcSource}'s enumerator.
 *
 * @param unassigned the split, if it was not handed to reader 0 yet (or was handed back)
 */
public record PgEnumeratorState(List<PgSplit> unassigned) implements CborSerializable {
  /** Copies the list. */
  public PgEnumeratorState {
    unassigned = List.copyOf(unassigned);
  }
}
