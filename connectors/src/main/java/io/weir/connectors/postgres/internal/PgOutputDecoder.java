package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.internal.PgOutputMessage.Begin;
import io.weir.connectors.postgres.internal.PgOutputMessage.Column;
import io.weir.connectors.postgres.internal.PgOutputMessage.Commit;
import io.weir.connectors.postgres.internal.PgOutputMessage.Delete;
import io.weir.connectors.postgres.internal.PgOutputMessage.Insert;
import io.weir.connectors.postgres.internal.PgOutputMessage.Null;
import io.weir.connectors.postgres.internal.PgOutputMessage.Other;
import io.weir.connectors.postgres.internal.PgOutputMessage.Relation;
import io.weir.connectors.postgres.internal.PgOutputMessage.StreamAbort;
import io.weir.connectors.postgres.internal.PgOutputMessage.StreamCommit;
import io.weir.connectors.postgres.internal.PgOutputMessage.StreamStart;
import io.weir.connectors.postgres.internal.PgOutputMessage.StreamStop;
import io.weir.connectors.postgres.internal.PgOutputMessage.Text;
import io.weir.connectors.postgres.internal.PgOutputMessage.Truncate;
import io.weir.connectors.postgres.internal.PgOutputMessage.TupleValue;
import io.weir.connectors.postgres.internal.PgOutputMessage.Type;
import io.weir.connectors.postgres.internal.PgOutputMessage.UnchangedToast;
import io.weir.connectors.postgres.internal.PgOutputMessage.Update;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code pgoutput} messages of protocol versions 1 and 2 (text tuples). Stateless and
 * thread-safe: the caller says whether a message belongs to a streamed block (between Stream
 * Start and Stream Stop), where protocol 2 puts an xid before the row messages.
 */
public final class PgOutputDecoder {

  /**
   * Decodes one message.
   *
   * @param buffer the message, from its tag byte to its end; read from its position
   * @return the message, never null
   * @throws IllegalArgumentException when the bytes are not a valid message
   */
  public PgOutputMessage decode(ByteBuffer buffer) {
    return decode(buffer, false);
  }

  /**
   * Decodes one message, of a streamed block or not.
   *
   * @param buffer the message, from its tag byte to its end; read from its position
   * @param streamed whether the message came between Stream Start and Stream Stop, so that a
   *     Relation, Type, Insert, Update, Delete, Truncate or Message carries an xid (which is
   *     skipped: read it with {@link #streamedXid})
   * @return the message, never null
   * @throws IllegalArgumentException when the bytes are not a valid message
   */
  public PgOutputMessage decode(ByteBuffer buffer, boolean streamed) {
    try {
      char tag = (char) buffer.get();
      if (streamed && carriesXid(tag)) {
        buffer.getInt();
      }
      return switch (tag) {
        case 'B' -> new Begin(buffer.getLong(), buffer.getLong(), Integer.toUnsignedLong(
            buffer.getInt()));
        case 'C' -> {
          buffer.get(); // flags, unused
          yield new Commit(buffer.getLong(), buffer.getLong(), buffer.getLong());
        }
        case 'R' -> relation(buffer);
        case 'Y' -> new Type(buffer.getInt(), string(buffer), string(buffer));
        case 'I' -> {
          int oid = buffer.getInt();
          expect(buffer, 'N');
          yield new Insert(oid, tuple(buffer));
        }
        case 'U' -> update(buffer);
        case 'D' -> {
          int oid = buffer.getInt();
          char kind = (char) buffer.get();
          if (kind != 'K' && kind != 'O') {
            throw new IllegalArgumentException("delete without old tuple: " + kind);
          }
          yield new Delete(oid, kind, tuple(buffer));
        }
        case 'T' -> {
          int count = buffer.getInt();
          int options = buffer.get();
          List<Integer> oids = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            oids.add(buffer.getInt());
          }
          yield new Truncate(oids, (options & 1) != 0, (options & 2) != 0);
        }
        case 'S' -> new StreamStart(Integer.toUnsignedLong(buffer.getInt()), buffer.get() == 1);
        case 'E' -> new StreamStop();
        case 'c' -> {
          long xid = Integer.toUnsignedLong(buffer.getInt());
          buffer.get(); // flags, unused
          yield new StreamCommit(xid, buffer.getLong(), buffer.getLong(), buffer.getLong());
        }
        case 'A' -> new StreamAbort(Integer.toUnsignedLong(buffer.getInt()),
            Integer.toUnsignedLong(buffer.getInt()));
        default -> new Other(tag);
      };
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("pgoutput message cut short", e);
    }
  }

  /**
   * The xid of a message of a streamed block, without moving the buffer's position.
   *
   * @param buffer the message, from its tag byte at its position
   * @return the (sub)transaction's xid, or -1 when the message kind carries none
   * @throws IllegalArgumentException when the message is cut short
   */
  public static long streamedXid(ByteBuffer buffer) {
    int at = buffer.position();
    if (!carriesXid((char) buffer.get(at))) {
      return -1;
    }
    if (buffer.limit() - at < 5) {
      throw new IllegalArgumentException("pgoutput message cut short");
    }
    return Integer.toUnsignedLong(buffer.getInt(at + 1));
  }

  /** Whether a message of this kind has an xid in a streamed block (protocol 2). */
  private static boolean carriesXid(char tag) {
    return switch (tag) {
      case 'R', 'Y', 'I', 'U', 'D', 'T', 'M' -> true;
      default -> false;
    };
  }

  private static Relation relation(ByteBuffer buffer) {
    int oid = buffer.getInt();
    String schema = string(buffer);
    String table = string(buffer);
    char identity = (char) buffer.get();
    int count = buffer.getShort();
    List<Column> columns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      boolean key = (buffer.get() & 1) != 0;
      String name = string(buffer);
      columns.add(new Column(name, buffer.getInt(), buffer.getInt(), key));
    }
    return new Relation(oid, schema, table, identity, columns);
  }

  private static Update update(ByteBuffer buffer) {
    int oid = buffer.getInt();
    char kind = (char) buffer.get();
    List<TupleValue> old = null;
    char oldKind = 0;
    if (kind == 'K' || kind == 'O') {
      oldKind = kind;
      old = tuple(buffer);
      kind = (char) buffer.get();
    }
    if (kind != 'N') {
      throw new IllegalArgumentException("update without new tuple: " + kind);
    }
    return new Update(oid, oldKind, old, tuple(buffer));
  }

  private static List<TupleValue> tuple(ByteBuffer buffer) {
    int count = buffer.getShort();
    List<TupleValue> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      char kind = (char) buffer.get();
      values.add(switch (kind) {
        case 'n' -> Null.INSTANCE;
        case 'u' -> UnchangedToast.INSTANCE;
        case 't' -> {
          byte[] bytes = new byte[buffer.getInt()];
          buffer.get(bytes);
          yield new Text(new String(bytes, StandardCharsets.UTF_8));
        }
        default -> throw new IllegalArgumentException("unknown tuple value kind '" + kind
            + "' (binary tuples are not requested)");
      });
    }
    return values;
  }

  private static void expect(ByteBuffer buffer, char tag) {
    char got = (char) buffer.get();
    if (got != tag) {
      throw new IllegalArgumentException("expected '" + tag + "', got '" + got + "'");
    }
  }

  private static String string(ByteBuffer buffer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte b = buffer.get(); b != 0; b = buffer.get()) {
      bytes.write(b);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
