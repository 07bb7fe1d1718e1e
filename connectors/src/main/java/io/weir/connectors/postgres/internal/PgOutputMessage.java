package io.weir.connectors.postgres.internal;

import java.util.List;

/**
 * A decoded {@code pgoutput} message of protocol version 1, or 2 (streamed in-progress
 * transactions: the Stream messages, and an xid before the row messages of a streamed block).
 */
public sealed interface PgOutputMessage {

  /** A transaction starts; {@code finalLsn} is its commit record's LSN. */
  record Begin(long finalLsn, long commitTimeMicros, long xid) implements PgOutputMessage {}

  /** The transaction {@code commitLsn} committed; streaming may resume at {@code endLsn}. */
  record Commit(long commitLsn, long endLsn, long commitTimeMicros) implements PgOutputMessage {}

  /** The shape of a table, sent before its first change in a session and after DDL. */
  record Relation(int oid, String schema, String table, char replicaIdentity,
      List<Column> columns) implements PgOutputMessage {
    /** Copies the columns. */
    public Relation {
      columns = List.copyOf(columns);
    }
  }

  /** A relation's column; {@code key} when it is part of the replica identity. */
  record Column(String name, int typeOid, int typeModifier, boolean key) {}

  /** A user-defined type (an enum, a domain…) used by a relation. */
  record Type(int oid, String schema, String name) implements PgOutputMessage {}

  /** A row inserted. */
  record Insert(int relationOid, List<TupleValue> newTuple) implements PgOutputMessage {}

  /**
   * A row updated. {@code oldKind} is {@code 'K'} (old key, REPLICA IDENTITY DEFAULT when the
   * key changed or USING INDEX), {@code 'O'} (old row, FULL) or 0 (none sent).
   */
  record Update(int relationOid, char oldKind, List<TupleValue> oldTuple,
      List<TupleValue> newTuple) implements PgOutputMessage {}

  /** A row deleted; {@code oldKind} is {@code 'K'} or {@code 'O'}. */
  record Delete(int relationOid, char oldKind, List<TupleValue> oldTuple)
      implements PgOutputMessage {}

  /** Tables truncated. */
  record Truncate(List<Integer> relationOids, boolean cascade, boolean restartIdentity)
      implements PgOutputMessage {
    /** Copies the oids. */
    public Truncate {
      relationOids = List.copyOf(relationOids);
    }
  }

  /**
   * A block of a streamed in-progress transaction {@code xid} starts; {@code firstSegment} when
   * it is the transaction's first block.
   */
  record StreamStart(long xid, boolean firstSegment) implements PgOutputMessage {}

  /** The current block of a streamed transaction ends. */
  record StreamStop() implements PgOutputMessage {}

  /**
   * The streamed transaction {@code xid} committed at {@code commitLsn}; streaming may resume at
   * {@code endLsn}.
   */
  record StreamCommit(long xid, long commitLsn, long endLsn, long commitTimeMicros)
      implements PgOutputMessage {}

  /**
   * The streamed transaction {@code xid} aborted its subtransaction {@code subXid}, or the whole
   * transaction when {@code subXid == xid}.
   */
  record StreamAbort(long xid, long subXid) implements PgOutputMessage {
    /** Whether the whole transaction aborted, not one of its subtransactions. */
    public boolean topLevel() {
      return xid == subXid;
    }
  }

  /** A message this decoder skips (origin, logical decoding message…), by its tag. */
  record Other(char tag) implements PgOutputMessage {}

  /** One column of a tuple. */
  sealed interface TupleValue {}

  /** SQL NULL. */
  enum Null implements TupleValue { INSTANCE }

  /** An unchanged TOASTed value the server did not send. */
  enum UnchangedToast implements TupleValue { INSTANCE }

  /** A value in PostgreSQL's text output format. */
  record Text(String text) implements TupleValue {}
}
