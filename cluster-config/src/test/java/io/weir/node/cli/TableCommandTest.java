package io.weir.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.lakehouse.IcebergCommittable;
import io.weir.lakehouse.IcebergSink;
import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.Row;
import io.weir.lakehouse.TableDefinition;
import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weir table ...} on a data directory whose lakehouse a test filled through the sink. */
class TableCommandTest {
  static final Schema ACCOUNTS = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "owner", Types.StringType.get()));

  @TempDir Path temp;
  String dataDir;
  LakehouseSettings settings;
  /** Snapshot ids in commit order, and their times. */
  final List<Long> snapshots = new ArrayList<>();
  final List<Long> times = new ArrayList<>();

  private record Run(int exitCode, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = WeirCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dataDir);
    return new Run(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }

  private Run ok(String... args) {
    Run r = run(args);
    assertEquals(0, r.exitCode(), String.join(" ", args) + ":\n" + r.out() + r.err());
    return r;
  }

  private Run fails(String expected, String... args) {
    Run r = run(args);
    assertEquals(1, r.exitCode(), String.join(" ", args) + ":\n" + r.out() + r.err());
    assertTrue(r.err().startsWith("weir: " + expected), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    return r;
  }

  /** Upserts (key, owner) pairs in one checkpoint of a sink, as a job's subtask would. */
  private void upsert(Map<Long, String> rows) throws Exception {
    SinkContext context = new SinkContext() {
      @Override
      public String jobName() {
        return "cli-test";
      }

      @Override
      public int subtaskIndex() {
        return 0;
      }

      @Override
      public int parallelism() {
        return 1;
      }
    };
    IcebergSink sink = IcebergSink.upsert(settings, "shop.accounts", "s");
    PrecommittingSinkWriter<Row, IcebergCommittable> writer = sink.createWriter(context);
    Committer<IcebergCommittable> committer = sink.createCommitter(context);
    try {
      for (Map.Entry<Long, String> e : rows.entrySet()) {
        writer.write(Row.upsert(Map.of("id", e.getKey(), "owner", e.getValue())), null);
      }
      long checkpoint = snapshots.size() + 1;
      committer.commit(checkpoint, new ArrayList<>(writer.precommit(checkpoint)));
    } finally {
      writer.close();
      committer.close();
    }
    try (Lakehouse lake = Lakehouse.open(settings)) {
      Snapshot s = lake.loadTable("shop.accounts").currentSnapshot();
      snapshots.add(s.snapshotId());
      times.add(s.timestampMillis());
    }
  }

  @BeforeEach
  void fill() throws Exception {
    dataDir = temp.resolve("data").toString();
    settings = LakehouseSettings.at(temp.resolve("data").resolve("lakehouse"));
    try (Lakehouse lake = Lakehouse.open(settings)) {
      lake.createTable("shop.accounts", TableDefinition.of(ACCOUNTS).withPrimaryKey("id"));
    }
    upsert(Map.of(1L, "ann", 2L, "bob"));
    Thread.sleep(5); // distinct snapshot times for --as-of
    upsert(Map.of(2L, "bea", 3L, "cid"));
    Thread.sleep(5);
    upsert(Map.of(4L, "dan"));
  }

  @Test
  void listDescribeHistoryAndScanWithTimeTravel() {
    assertEquals("shop.accounts\n", ok("table", "list").out());

    String describe = ok("table", "describe", "shop.accounts").out();
    assertTrue(describe.startsWith("Table: shop.accounts\n"), describe);
    assertTrue(describe.contains("  1\tid\tlong\trequired\n"), describe);
    assertTrue(describe.contains("Primary key: id\n"), describe);
    assertTrue(describe.contains("Partitioning: (none)\n"), describe);
    assertTrue(describe.contains("Current snapshot: " + snapshots.get(2) + "\tSnapshots: 3"),
        describe);
    assertTrue(describe.contains("  branch main -> " + snapshots.get(2)), describe);
    assertTrue(describe.contains("Data files: 3 ("), describe);
    assertTrue(describe.contains("Delete files: 1 ("), describe); // bob's key, upserted again

    List<String> history = ok("table", "history", "shop.accounts").out().lines().toList();
    assertEquals(4, history.size(), String.join("\n", history));
    assertTrue(history.get(0).startsWith("SNAPSHOT\tPARENT\tTIME"));
    assertTrue(history.get(1).startsWith(snapshots.get(0) + "\t-\t"), history.get(1));
    assertTrue(history.get(2).startsWith(snapshots.get(1) + "\t" + snapshots.get(0)),
        history.get(2));
    assertTrue(history.get(3).contains("\t*\t"), history.get(3));

    assertEquals(List.of("id\towner", "1\tann", "2\tbea", "3\tcid", "4\tdan"),
        sorted(ok("table", "scan", "shop.accounts").out()));
    assertEquals(List.of("id\towner", "1\tann", "2\tbob"),
        sorted(ok("table", "scan", "shop.accounts", "--snapshot", "" + snapshots.get(0)).out()));
    assertEquals(List.of("id\towner", "1\tann", "2\tbea", "3\tcid"), sorted(ok("table", "scan",
        "shop.accounts", "--as-of", Instant.ofEpochMilli(times.get(1)).toString()).out()));
    Run limited = ok("table", "scan", "shop.accounts", "--limit", "2");
    assertEquals(3, limited.out().lines().count(), limited.out());
    assertTrue(limited.err().contains("--limit 2"), limited.err());

    ok("table", "tag", "create", "shop.accounts", "v1", "--snapshot", "" + snapshots.get(0));
    ok("table", "branch", "create", "shop.accounts", "dev");
    assertEquals(List.of("id\towner", "1\tann", "2\tbob"),
        sorted(ok("table", "scan", "shop.accounts", "--branch", "v1").out()));
    assertEquals(5, ok("table", "scan", "shop.accounts", "--branch", "dev").out().lines().count());
    assertTrue(ok("table", "describe", "shop.accounts").out().contains("  tag v1 -> "
        + snapshots.get(0)));

    Run rolled = ok("table", "rollback", "shop.accounts", "--to", "" + snapshots.get(1));
    assertEquals("Rolled shop.accounts back to snapshot " + snapshots.get(1) + ".\n",
        rolled.out());
    assertEquals(List.of("id\towner", "1\tann", "2\tbea", "3\tcid"),
        sorted(ok("table", "scan", "shop.accounts").out()));
  }

  @Test
  void scanFiltersAndProjects() {
    assertEquals(List.of("id\towner", "2\tbea", "4\tdan"), sorted(ok("table", "scan",
        "shop.accounts", "--where", "id >= 2 AND NOT owner IN ('cid')").out()));
    assertEquals(List.of("owner", "ann", "dan"), sorted(ok("table", "scan", "shop.accounts",
        "--columns", "owner", "--where", "id = 1 or (id > 3 and owner is not null)").out()));
    assertEquals(List.of("owner\tid", "bob\t2"), sorted(ok("table", "scan", "shop.accounts",
        "--columns", "owner,id", "--where", "owner = 'bob'", "--as-of-snapshot",
        "" + snapshots.get(0)).out()));
    assertEquals(List.of("id\towner", "1\tann", "3\tcid"), sorted(ok("table", "scan",
        "shop.accounts", "--where", "id IN (1, 3, 4)", "--as-of-time",
        Instant.ofEpochMilli(times.get(1)).toString()).out()));
    assertEquals(List.of("id"), ok("table", "scan", "shop.accounts", "--columns", "id",
        "--where", "owner IS NULL").out().lines().toList());

    fails("--where: unknown column 'x' at 1", "table", "scan", "shop.accounts", "--where",
        "x = 1");
    fails("--where: expected a value after '>=' at 7, got the end", "table", "scan",
        "shop.accounts", "--where", "id >= ");
    fails("--where: expected a value of type long for column 'id' at 6, got 'one'", "table",
        "scan", "shop.accounts", "--where", "id = 'one'");
    fails("--columns: unknown column 'nope' (columns: id, owner)", "table", "scan",
        "shop.accounts", "--columns", "id,nope");
  }

  /** Appends rows in one checkpoint of an append sink. */
  private void append(String table, List<Map<String, Object>> rows, long checkpoint)
      throws Exception {
    SinkContext context = new SinkContext() {
      @Override
      public String jobName() {
        return "cli-append";
      }

      @Override
      public int subtaskIndex() {
        return 0;
      }

      @Override
      public int parallelism() {
        return 1;
      }
    };
    IcebergSink sink = IcebergSink.append(settings, table, "a");
    PrecommittingSinkWriter<Row, IcebergCommittable> writer = sink.createWriter(context);
    Committer<IcebergCommittable> committer = sink.createCommitter(context);
    try {
      for (Map<String, Object> row : rows) {
        writer.write(Row.insert(row), null);
      }
      committer.commit(checkpoint, new ArrayList<>(writer.precommit(checkpoint)));
    } finally {
      writer.close();
      committer.close();
    }
  }

  @Test
  void partitionAndAlter() throws Exception {
    try (Lakehouse lake = Lakehouse.open(settings)) {
      lake.createTable("shop.events", TableDefinition.of(new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "ts", Types.TimestampType.withoutZone()),
          Types.NestedField.optional(3, "note", Types.StringType.get()))));
    }
    append("shop.events", List.of(Map.of("id", 1L, "ts", "2026-11-23T10:00:00", "note", "a"),
        Map.of("id", 2L, "ts", "2026-11-24T10:00:00", "note", "b")), 1);
    Run added = ok("table", "partition", "shop.events", "--add", "day(ts)", "--add",
        "bucket(id, 4)");
    assertEquals("Partitioning of shop.events (spec 2): ts_day = day(ts),"
        + " id_bucket_4 = bucket[4](id)\n", added.out());
    append("shop.events", List.of(Map.of("id", 3L, "ts", "2026-11-24T11:00:00", "note", "c"),
        Map.of("id", 4L, "ts", "2026-11-25T10:00:00", "note", "d")), 2);
    assertEquals(List.of("id\tnote", "2\tb", "3\tc"), sorted(ok("table", "scan", "shop.events",
        "--columns", "id,note", "--where",
        "ts >= '2026-11-24T00:00:00' AND ts < '2026-11-25T00:00:00'").out()));
    assertTrue(ok("table", "describe", "shop.events").out()
        .contains("Partitioning: day(ts), bucket[4](id)\n"));
    fails("bad partition term 'day(nope)': unknown column 'nope'", "table", "partition",
        "shop.events", "--add", "day(nope)");
    fails("cannot remove partition field 'x' of shop.events", "table", "partition",
        "shop.events", "--remove", "x");
    fails("cannot change the partitioning of shop.accounts: it has a primary key (id)", "table",
        "partition", "shop.accounts", "--add", "bucket(4, id)");
    // the same fields as spec 1: Iceberg makes that spec current again
    assertEquals("Partitioning of shop.events (spec 1): ts_day = day(ts)\n", ok("table",
        "partition", "shop.events", "--remove", "id_bucket_4").out());
    assertEquals(2, run("table", "partition", "shop.events").exitCode());

    Run altered = ok("table", "alter", "shop.accounts", "--rename-column", "owner=holder");
    assertEquals("Renamed column owner to holder.\n", altered.out());
    assertEquals(List.of("holder", "ann"), ok("table", "scan", "shop.accounts", "--columns",
        "holder", "--where", "id = 1").out().lines().toList());
    fails("cannot change column 'id' of shop.accounts from long to int: not a widening",
        "table", "alter", "shop.accounts", "--widen", "id=int");
    fails("cannot drop column 'id' of shop.accounts: it is part of the primary key", "table",
        "alter", "shop.accounts", "--drop-column", "id");
    fails("cannot drop column 'ts' of shop.events: the partition field 'ts_day' uses it",
        "table", "alter", "shop.events", "--drop-column", "ts");
    assertEquals(2, run("table", "alter", "shop.accounts", "--widen", "id").exitCode());
    assertEquals(2, run("table", "alter", "shop.accounts").exitCode());
    assertEquals("Dropped column holder.\n", ok("table", "alter", "shop.accounts",
        "--drop-column", "holder").out());
    assertEquals(List.of("id", "1", "2", "3", "4"),
        sorted(ok("table", "scan", "shop.accounts").out()));
  }

  @Test
  void unknownTablesSnapshotsAndRefsAreClearFailures() {
    fails("no table default.nope", "table", "describe", "nope");
    fails("no table shop.nope", "table", "scan", "shop.nope");
    fails("no table shop.nope", "table", "compact", "shop.nope");
    fails("no table shop.nope", "table", "history", "shop.nope");
    fails("table shop.accounts has no snapshot 42", "table", "scan", "shop.accounts",
        "--snapshot", "42");
    fails("table shop.accounts has no snapshot 42", "table", "rollback", "shop.accounts",
        "--to", "42");
    fails("table shop.accounts has no branch or tag 'nope'", "table", "scan",
        "shop.accounts", "--branch", "nope");
    fails("table shop.accounts has no snapshot as of 1970-01-01T00:00:00.001Z", "table",
        "scan", "shop.accounts", "--as-of", "1");
    fails("--as-of: not a time: 'yesterday'", "table", "scan", "shop.accounts", "--as-of",
        "yesterday");
    fails("--older-than: not a duration: 'long'", "table", "expire", "shop.accounts",
        "--older-than", "long");
    ok("table", "tag", "create", "shop.accounts", "v1");
    fails("table shop.accounts already has a tag 'v1'", "table", "branch", "create",
        "shop.accounts", "v1");
    // two versions at once: a usage error
    assertEquals(2, run("table", "scan", "shop.accounts", "--snapshot", "1", "--branch", "b")
        .exitCode());
  }

  @Test
  void compactExpireRemoveOrphansAndRewriteManifests() throws Exception {
    Run compact = ok("table", "compact", "shop.accounts");
    assertTrue(compact.out().startsWith("Compacted shop.accounts: 3 data files ("), compact.out());
    assertTrue(compact.out().contains("and 1 delete files into 1 data files"), compact.out());
    assertTrue(ok("table", "describe", "shop.accounts").out()
        .contains("Data files: 1 ("), "one file after compaction");
    assertEquals(List.of("id\towner", "1\tann", "2\tbea", "3\tcid", "4\tdan"),
        sorted(ok("table", "scan", "shop.accounts").out()));
    assertEquals("Nothing to compact in shop.accounts.\n",
        ok("table", "compact", "shop.accounts").out());

    Run expire = ok("table", "expire", "shop.accounts", "--older-than", "0s", "--retain-last",
        "2");
    assertTrue(expire.out().startsWith("Expired 2 snapshots of shop.accounts and deleted "),
        expire.out());
    fails("table shop.accounts has no snapshot " + snapshots.get(0), "table", "scan",
        "shop.accounts", "--snapshot", "" + snapshots.get(0));
    assertEquals(List.of("id\towner", "1\tann", "2\tbea", "3\tcid", "4\tdan"),
        sorted(ok("table", "scan", "shop.accounts", "--snapshot", "" + snapshots.get(2)).out()),
        "the retained snapshot before the compaction still travels");

    Path table;
    try (Lakehouse lake = Lakehouse.open(settings)) {
      Table t = lake.loadTable("shop.accounts");
      table = Path.of(t.location());
    }
    Path old = table.resolve("data").resolve("stray.parquet");
    Path young = table.resolve("data").resolve("young.parquet");
    Files.write(old, new byte[10]);
    Files.write(young, new byte[10]);
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(7200)));
    Run dry = ok("table", "remove-orphans", "shop.accounts", "--grace", "1h", "--dry-run");
    assertEquals(old + "\t10\n1 orphan file (dry run: nothing deleted).\n", dry.out());
    assertTrue(Files.exists(old));
    Run removed = ok("table", "remove-orphans", "shop.accounts", "--grace", "1h");
    assertEquals(old + "\nRemoved 1 orphan file (10 bytes) of shop.accounts.\n", removed.out());
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(young));

    Run manifests = ok("table", "rewrite-manifests", "shop.accounts");
    assertTrue(manifests.out().startsWith("Rewrote ") && manifests.out().contains(
        " manifests of shop.accounts into 1 in snapshot "), manifests.out());
    assertTrue(ok("table", "rewrite-manifests", "shop.accounts").out()
        .startsWith("No manifests to rewrite in shop.accounts"), "one manifest now");
    assertEquals(5, ok("table", "scan", "shop.accounts").out().lines().count());
  }

  private static List<String> sorted(String out) {
    List<String> lines = new ArrayList<>(out.lines().toList());
    List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
    rows.sort(null);
    rows.add(0, lines.get(0));
    return rows;
  }
}
