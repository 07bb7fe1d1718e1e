package io.weir.connectors.postgres;

/**
 * The value of a column PostgreSQL did not send: an unchanged TOASTed (large, out-of-line)
 * column of an update whose old row image does not carry it. It stands in the {@code after}
 * image instead of null, which would be a different, wrong value.
 */
public enum Unavailable {
  /** The only value. */
  VALUE
}
