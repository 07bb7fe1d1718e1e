package io.weir.connectors.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.ChangeEvent.Operation;
import io.weir.connectors.postgres.Unavailable;
import io.weir.connectors.postgres.internal.PgOutputMessage.Begin;
import io.weir.connectors.postgres.internal.PgOutputMessage.Column;
import io.weir.connectors.postgres.internal.PgOutputMessage.Commit;
import io.weir.connectors.postgres.internal.PgOutputMessage.Delete;
import io.weir.connectors.postgres.internal.PgOutputMessage.Insert;
import io.weir.connectors.postgres.internal.PgOutputMessage.Null;
import io.weir.connectors.postgres.internal.PgOutputMessage.Other;
import io.weir.connectors.postgres.internal.PgOutputMessage.Relation;
import io.weir.connectors.postgres.internal.PgOutputMessage.Text;
import io.weir.connectors.postgres.internal.PgOutputMessage.Truncate;
import io.weir.connectors.postgres.internal.PgOutputMessage.Type;
import io.weir.connectors.postgres.internal.PgOutputMessage.UnchangedToast;
import io.weir.connectors.postgres.internal.PgOutputMessage.Update;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pgoutput decoder and assembler on messages built byte by byte. */
class PgOutputDecoderTest {
  private final PgOutputDecoder decoder = new PgOutputDecoder();

  /** Builds a message the way the server writes it (big-endian, C strings). */
  private static final class Bytes {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(buffer);

    Bytes tag(char c) throws IOException {
      out.writeByte(c);
      return this;
    }

    Bytes i8(int v) throws IOException {
      out.writeByte(v);
      return this;
    }

    Bytes i16(int v) throws IOException {
      out.writeShort(v);
      return this;
    }

    Bytes i32(int v) throws IOException {
      out.writeInt(v);
      return this;
    }

    Bytes i64(long v) throws IOException {
      out.writeLong(v);
      return this;
    }

    Bytes str(String s) throws IOException {
      out.write(s.getBytes(StandardCharsets.UTF_8));
      out.writeByte(0);
      return this;
    }

    Bytes text(String s) throws IOException {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      out.writeByte('t');
      out.writeInt(bytes.length);
      out.write(bytes);
      return this;
    }

    ByteBuffer buffer() {
      return ByteBuffer.wrap(buffer.toByteArray());
    }
  }

  @Test
  void beginAndCommit() throws IOException {
    assertEquals(new Begin(0x1_0000_0010L, 123_456L, 4_000_000_000L), decoder.decode(
        new Bytes().tag('B').i64(0x1_0000_0010L).i64(123_456L).i32((int) 4_000_000_000L)
            .buffer()));
    assertEquals(new Commit(100, 140, 7), decoder.decode(
        new Bytes().tag('C').i8(0).i64(100).i64(140).i64(7).buffer()));
  }

  @Test
  void relationAndType() throws IOException {
    Relation relation = (Relation) decoder.decode(new Bytes().tag('R').i32(16400).str("shop")
        .str("orders").i8('d').i16(2)
        .i8(1).str("id").i32(23).i32(-1)
        .i8(0).str("note").i32(25).i32(-1).buffer());
    assertEquals(new Relation(16400, "shop", "orders", 'd', List.of(
        new Column("id", 23, -1, true), new Column("note", 25, -1, false))), relation);
    assertEquals(new Type(16500, "public", "mood"),
        decoder.decode(new Bytes().tag('Y').i32(16500).str("public").str("mood").buffer()));
  }

  @Test
  void insertUpdateDeleteTruncateWithEveryTupleKind() throws IOException {
    assertEquals(new Insert(7, List.of(new Text("1"), Null.INSTANCE, new Text("héllo"))),
        decoder.decode(new Bytes().tag('I').i32(7).tag('N').i16(3).text("1").tag('n')
            .text("héllo").buffer()));
    assertEquals(new Update(7, (char) 0, null, List.of(new Text("1"), UnchangedToast.INSTANCE)),
        decoder.decode(new Bytes().tag('U').i32(7).tag('N').i16(2).text("1").tag('u')
            .buffer()));
    assertEquals(new Update(7, 'K', List.of(new Text("1"), Null.INSTANCE),
            List.of(new Text("2"), new Text("x"))),
        decoder.decode(new Bytes().tag('U').i32(7).tag('K').i16(2).text("1").tag('n')
            .tag('N').i16(2).text("2").text("x").buffer()));
    assertEquals(new Update(7, 'O', List.of(new Text("1"), new Text("a")),
            List.of(new Text("1"), new Text("b"))),
        decoder.decode(new Bytes().tag('U').i32(7).tag('O').i16(2).text("1").text("a")
            .tag('N').i16(2).text("1").text("b").buffer()));
    assertEquals(new Delete(7, 'K', List.of(new Text("1"), Null.INSTANCE)),
        decoder.decode(new Bytes().tag('D').i32(7).tag('K').i16(2).text("1").tag('n')
            .buffer()));
    assertEquals(new Truncate(List.of(7, 8), true, false),
        decoder.decode(new Bytes().tag('T').i32(2).i8(1).i32(7).i32(8).buffer()));
    assertEquals(new Other('O'), decoder.decode(new Bytes().tag('O').i64(1).str("origin")
        .buffer()));
  }

  @Test
  void protocolTwoStreamMessages() throws IOException {
    assertEquals(new PgOutputMessage.StreamStart(4_000_000_000L, true),
        decoder.decode(new Bytes().tag('S').i32((int) 4_000_000_000L).i8(1).buffer()));
    assertEquals(new PgOutputMessage.StreamStart(9, false),
        decoder.decode(new Bytes().tag('S').i32(9).i8(0).buffer()));
    assertEquals(new PgOutputMessage.StreamStop(), decoder.decode(new Bytes().tag('E').buffer()));
    assertEquals(new PgOutputMessage.StreamCommit(9, 100, 140, 7), decoder.decode(
        new Bytes().tag('c').i32(9).i8(0).i64(100).i64(140).i64(7).buffer()));
    PgOutputMessage.StreamAbort sub = (PgOutputMessage.StreamAbort) decoder.decode(
        new Bytes().tag('A').i32(9).i32(12).buffer());
    assertEquals(new PgOutputMessage.StreamAbort(9, 12), sub);
    assertEquals(false, sub.topLevel());
    assertEquals(true, new PgOutputMessage.StreamAbort(9, 9).topLevel());
  }

  @Test
  void protocolTwoRowMessagesOfAStreamedBlockCarryAnXid() throws IOException {
    ByteBuffer insert = new Bytes().tag('I').i32(12).i32(7).tag('N').i16(1).text("1").buffer();
    assertEquals(12, PgOutputDecoder.streamedXid(insert));
    assertEquals(0, insert.position(), "peeking leaves the buffer where it was");
    assertEquals(new Insert(7, List.of(new Text("1"))), decoder.decode(insert, true));
    assertEquals(new Relation(16400, "s", "t", 'd', List.of(new Column("id", 23, -1, true))),
        decoder.decode(new Bytes().tag('R').i32(12).i32(16400).str("s").str("t").i8('d')
            .i16(1).i8(1).str("id").i32(23).i32(-1).buffer(), true));
    assertEquals(new Truncate(List.of(7), false, true), decoder.decode(
        new Bytes().tag('T').i32(12).i32(1).i8(2).i32(7).buffer(), true));
    assertEquals(new Type(16500, "public", "mood"), decoder.decode(
        new Bytes().tag('Y').i32(12).i32(16500).str("public").str("mood").buffer(), true));
    assertEquals(new Other('M'), decoder.decode(
        new Bytes().tag('M').i32(12).i8(1).i64(5).str("prefix").i32(0).buffer(), true));
    assertEquals(-1, PgOutputDecoder.streamedXid(new Bytes().tag('E').buffer()));
    assertThrows(IllegalArgumentException.class,
        () -> PgOutputDecoder.streamedXid(new Bytes().tag('I').i8(0).buffer()));
  }

  @Test
  void aStreamedTransactionSpillsPastItsBoundAndSkipsAbortedSubtransactions()
      throws Exception {
    List<String> replayed = new java.util.ArrayList<>();
    for (long bound : new long[] {0, 40, 1 << 20}) {
      replayed.clear();
      try (StreamedTransaction tx = new StreamedTransaction(9, 100, bound)) {
        tx.add(new Bytes().tag('R').i32(12).i32(7).buffer(), 12);
        for (int i = 0; i < 10; i++) {
          tx.add(new Bytes().tag('I').i32(i < 5 ? 9 : 12).i32(i).buffer(), i < 5 ? 9 : 12);
        }
        tx.abortSubtransaction(12);
        assertEquals(11, tx.count());
        assertEquals(bound < 1 << 20, tx.spilled(), "bound " + bound);
        tx.replay(m -> replayed.add((char) m.get(0) + "" + m.getInt(5)));
      }
      // The aborted subtransaction's Relation stays (the server does not send it again).
      assertEquals(List.of("R7", "I0", "I1", "I2", "I3", "I4"), replayed, "bound " + bound);
    }
  }

  @Test
  void malformedMessagesAreRefused() throws IOException {
    assertThrows(IllegalArgumentException.class,
        () -> decoder.decode(new Bytes().tag('I').i32(7).tag('N').i16(1).buffer()));
    assertThrows(IllegalArgumentException.class,
        () -> decoder.decode(new Bytes().tag('I').i32(7).tag('N').i16(1).tag('b').i32(0)
            .buffer()));
  }

  @Test
  void assemblerMarksUnchangedToastUnavailableAndFillsItFromAFullOldRow() {
    ChangeEventAssembler assembler = new ChangeEventAssembler("shop",
        new ValueConverter(TypeRegistry.empty()),
        Clock.fixed(Instant.ofEpochMilli(42), ZoneOffset.UTC));
    assembler.relation(new Relation(7, "public", "docs", 'd', List.of(
        new Column("id", 23, -1, true), new Column("body", 25, -1, false),
        new Column("data", 17, -1, false))));
    Begin tx = new Begin(500, 0, 9);
    ChangeEvent update = assembler.events(new Update(7, (char) 0, null,
        List.of(new Text("1"), UnchangedToast.INSTANCE, new Text("\\x00ff"))), tx).get(0);
    assertEquals(Operation.UPDATE, update.op());
    assertNull(update.before());
    assertEquals(1, update.after().get("id"));
    assertEquals(Unavailable.VALUE, update.after().get("body"));
    assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) update.after().get("data"));
    assertEquals("docs", update.source().table());
    assertEquals(500, update.source().lsn());
    assertEquals(9L, update.source().txId());
    assertEquals(946_684_800_000L, update.source().tsMs(), "PostgreSQL's epoch is 2000-01-01");
    assertEquals(42, update.tsMs());

    ChangeEvent full = assembler.events(new Update(7, 'O',
        List.of(new Text("1"), new Text("old body"), Null.INSTANCE),
        List.of(new Text("1"), UnchangedToast.INSTANCE, Null.INSTANCE)), tx).get(0);
    assertEquals("old body", full.after().get("body"));

    List<ChangeEvent> truncated = assembler.events(new Truncate(List.of(7), false, false), tx);
    assertEquals(Operation.TRUNCATE, truncated.get(0).op());
    assertEquals("t", truncated.get(0).op().code());
    assertThrows(IllegalStateException.class, () -> assembler.events(
        new Insert(99, List.of()), tx));
  }
}
