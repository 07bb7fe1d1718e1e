package io.weir.node.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.weir.api.WeirException;
import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.MaintenanceResult;
import io.weir.lakehouse.ScanFilter;
import io.weir.lakehouse.TableMaintenance;
import io.weir.node.api.NodeSettings;
import io.weir.node.internal.DataDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir table}: the lakehouse's Iceberg tables (under {@code weir.lakehouse.directory},
 * by default {@code <data-dir>/lakehouse}): list, describe, history, scan with time travel,
 * maintenance (compact, expire, remove-orphans, rewrite-manifests), rollback, branches and
 * tags, partition and schema evolution. Opens the catalog directly, without starting a node.
 */
@Command(name = "table", mixinStandardHelpOptions = true,
    description = "List, inspect, read and maintain the lakehouse's Iceberg tables.",
    subcommands = {TableCommand.ListTables.class, TableCommand.Describe.class,
        TableCommand.History.class, TableCommand.Scan.class, TableCommand.Compact.class,
        TableCommand.Expire.class, TableCommand.RemoveOrphans.class,
        TableCommand.RewriteManifests.class, TableCommand.Rollback.class,
        TableCommand.Branch.class, TableCommand.Tag.class, TableChangeCommands.Partition.class,
        TableChangeCommands.Alter.class})
public final class TableCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a table command is required");
  }

  /**
   * Takes the data directory (one process at a time: a running node refuses it, named), opens
   * its lakehouse, runs {@code action} on it and closes both.
   */
  public static <T> T withLakehouse(NodeOptions node, Function<Lakehouse, T> action) {
    Config config = node.launcher().resolveConfig();
    LakehouseSettings settings;
    NodeSettings nodeSettings;
    try {
      settings = LakehouseSettings.fromConfig(config);
      nodeSettings = NodeSettings.fromConfig(config);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new WeirException("bad lakehouse configuration: " + e.getMessage(), e);
    }
    try (DataDirectory dir = DataDirectory.open(nodeSettings.dataDir());
        Lakehouse lakehouse = Lakehouse.open(settings)) {
      dir.recordOwner("pid=" + ProcessHandle.current().pid() + " weir table");
      return action.apply(lakehouse);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The table, or a one-line failure naming it. */
  public static Table load(Lakehouse lakehouse, String name) {
    try {
      return lakehouse.loadTable(name);
    } catch (NoSuchTableException e) {
      throw new WeirException("no table " + Lakehouse.identifier(name) + " (see 'weir table list')");
    } catch (IllegalArgumentException e) {
      throw new WeirException("bad table name '" + name + "': " + e.getMessage());
    }
  }

  /** {@code namespace.table}: Iceberg's name of a catalog's table starts with the catalog's. */
  static String display(Table table) {
    String name = table.name();
    return name.substring(name.indexOf('.') + 1);
  }

  static Snapshot snapshot(Table table, long id) {
    Snapshot s = table.snapshot(id);
    if (s == null) {
      throw new WeirException("table " + display(table) + " has no snapshot " + id
          + " (see 'weir table history " + display(table) + "')");
    }
    return s;
  }

  static Duration duration(String value, String option) {
    try {
      return ConfigFactory.parseString("d = \"" + value + "\"").getDuration("d");
    } catch (ConfigException e) {
      throw new WeirException(option + ": not a duration: '" + value
          + "' (such as 30s, 15m, 12h, 7d)");
    }
  }

  /** {@code weir table list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tables.")
  static final class ListTables implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      withLakehouse(node, lake -> {
        lake.listTables().forEach(out::println);
        return null;
      });
    }
  }

  /** {@code weir table describe TABLE}. */
  @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a table's"
      + " schema, partitioning, snapshots, branches and tags, and its live files.")
  static final class Describe implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      withLakehouse(node, lake -> {
        Table t = load(lake, name);
        out.println("Table: " + Lakehouse.identifier(name));
        out.println("Location: " + t.location());
        Schema schema = t.schema();
        out.println("Schema:");
        for (Types.NestedField f : schema.columns()) {
          out.println("  " + f.fieldId() + "\t" + f.name() + "\t" + f.type()
              + (f.isRequired() ? "\trequired" : "\toptional"));
        }
        out.println("Primary key: " + (schema.identifierFieldNames().isEmpty() ? "(none)"
            : String.join(", ", schema.identifierFieldNames())));
        List<String> fields = new ArrayList<>();
        for (PartitionField f : t.spec().fields()) {
          if (!f.transform().isVoid()) { // a field removed by partition evolution
            fields.add(f.transform() + "(" + schema.findColumnName(f.sourceId()) + ")");
          }
        }
        out.println("Partitioning: " + (fields.isEmpty() ? "(none)" : String.join(", ", fields)));
        Snapshot current = t.currentSnapshot();
        int snapshots = 0;
        for (Snapshot ignored : t.snapshots()) {
          snapshots++;
        }
        out.println("Current snapshot: " + (current == null ? "(none)" : current.snapshotId())
            + "\tSnapshots: " + snapshots);
        for (Map.Entry<String, SnapshotRef> ref : t.refs().entrySet()) {
          out.println("  " + (ref.getValue().isBranch() ? "branch " : "tag ") + ref.getKey()
              + " -> " + ref.getValue().snapshotId());
        }
        long dataFiles = 0;
        long dataBytes = 0;
        long records = 0;
        java.util.Set<String> deleteFiles = new java.util.HashSet<>();
        long deleteBytes = 0;
        if (current != null) {
          try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
              dataFiles++;
              dataBytes += task.file().fileSizeInBytes();
              records += task.file().recordCount();
              for (var d : task.deletes()) {
                if (deleteFiles.add(d.location())) {
                  deleteBytes += d.fileSizeInBytes();
                }
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        out.println("Data files: " + dataFiles + " (" + dataBytes + " bytes, " + records
            + " records before deletes)\tDelete files: " + deleteFiles.size() + " ("
            + deleteBytes + " bytes)");
        return null;
      });
    }
  }

  /** {@code weir table history TABLE}. */
  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "List a table's snapshots, oldest first; '*' marks the current one's"
          + " ancestry (what time travel on the main branch sees).")
  static final class History implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      withLakehouse(node, lake -> {
        Table t = load(lake, name);
        java.util.Set<Long> ancestry = new java.util.HashSet<>();
        if (t.currentSnapshot() != null) {
          SnapshotUtil.ancestorIds(t.currentSnapshot(), t::snapshot).forEach(ancestry::add);
        }
        out.println("SNAPSHOT\tPARENT\tTIME\tOPERATION\tCURRENT\tADDED-RECORDS\tDELETED-RECORDS");
        for (Snapshot s : t.snapshots()) {
          Map<String, String> summary = s.summary();
          out.println(s.snapshotId() + "\t" + (s.parentId() == null ? "-" : s.parentId()) + "\t"
              + Instant.ofEpochMilli(s.timestampMillis()) + "\t" + s.operation() + "\t"
              + (ancestry.contains(s.snapshotId()) ? "*" : "") + "\t"
              + summary.getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0") + "\t"
              + summary.getOrDefault(SnapshotSummary.DELETED_RECORDS_PROP, "0"));
        }
        return null;
      });
    }
  }

  /** Which version of a table to read: at most one. */
  static final class Version {
    @Option(names = {"--snapshot", "--as-of-snapshot"}, paramLabel = "ID",
        description = "A snapshot id.")
    Long snapshot;
    @Option(names = {"--as-of", "--as-of-time"}, paramLabel = "TIME",
        description = "The snapshot current at a"
        + " time: ISO-8601 (2026-11-24T10:00:00Z) or epoch milliseconds.")
    String asOf;
    @Option(names = "--branch", paramLabel = "REF", description = "A branch or tag.")
    String ref;
  }

  /**
   * {@code weir table scan TABLE [--where FILTER] [--columns a,b] [--snapshot ID | --as-of TIME
   * | --branch B] [--limit N]}.
   */
  @Command(name = "scan", mixinStandardHelpOptions = true,
      description = "Print a table's rows (tab-separated, a header first), now or at an earlier"
          + " version, optionally filtered (files the filter excludes are not read) and"
          + " projected.")
  static final class Scan implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;
    @ArgGroup(exclusive = true) Version version;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
        description = "At most this many rows; 0 for all. Default: ${DEFAULT-VALUE}.")
    int limit;
    @Option(names = "--where", paramLabel = "FILTER", description = "Only rows matching, e.g."
        + " \"id >= 10 AND (owner = 'ann' OR owner IS NULL)\": = != < <= > >=, IS [NOT] NULL,"
        + " [NOT] IN (...), AND, OR, NOT, parentheses; values typed by their column"
        + " ('quoted' strings, dates and timestamps).")
    String where;
    @Option(names = "--columns", paramLabel = "COLUMNS", split = ",",
        description = "Only these columns, in this order (comma-separated).")
    List<String> columns;

    @Override
    public void run() {
      if (limit < 0) {
        throw new ParameterException(spec.commandLine(), "--limit must not be negative");
      }
      PrintWriter out = spec.commandLine().getOut();
      withLakehouse(node, lake -> {
        Table t = load(lake, name);
        IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(t);
        Schema schema = t.schema();
        if (where != null) {
          try {
            scan = scan.where(ScanFilter.parse(where, schema));
          } catch (IllegalArgumentException e) {
            throw new WeirException("--where: " + e.getMessage(), e);
          }
        }
        List<String> shown = columnNames(schema);
        if (columns != null) {
          shown = columns.stream().map(String::trim).toList();
          for (String c : shown) {
            if (schema.findField(c) == null) {
              throw new WeirException("--columns: unknown column '" + c + "' (columns: "
                  + String.join(", ", columnNames(schema)) + ")");
            }
          }
          scan = scan.select(shown);
        }
        if (version != null && version.snapshot != null) {
          scan = scan.useSnapshot(snapshot(t, version.snapshot).snapshotId());
        } else if (version != null && version.asOf != null) {
          long millis = parseTime(version.asOf);
          try {
            scan = scan.useSnapshot(SnapshotUtil.snapshotIdAsOfTime(t, millis));
          } catch (IllegalArgumentException e) {
            throw new WeirException("table " + display(t) + " has no snapshot as of "
                + Instant.ofEpochMilli(millis));
          }
        } else if (version != null && version.ref != null) {
          Snapshot head = t.snapshot(version.ref);
          if (head == null) {
            throw new WeirException("table " + display(t) + " has no branch or tag '"
                + version.ref + "'");
          }
          scan = scan.useSnapshot(head.snapshotId());
        } else if (t.currentSnapshot() == null) {
          out.println(String.join("\t", shown));
          return null;
        }
        out.println(String.join("\t", shown));
        int printed = 0;
        try (CloseableIterable<Record> rows = scan.build()) {
          for (Record r : rows) {
            if (limit > 0 && printed >= limit) {
              spec.commandLine().getErr().println("(stopped at --limit " + limit + ")");
              break;
            }
            List<String> values = new ArrayList<>();
            for (String c : shown) {
              // a projection may carry the filter's columns too: print the chosen ones only
              values.add(String.valueOf(r.getField(c)));
            }
            out.println(String.join("\t", values));
            printed++;
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return null;
      });
    }

    private static List<String> columnNames(Schema schema) {
      return schema.columns().stream().map(Types.NestedField::name).toList();
    }

    private static long parseTime(String value) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException notMillis) {
        try {
          return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
          throw new WeirException("--as-of: not a time: '" + value
              + "' (ISO-8601 such as 2026-11-24T10:00:00Z, or epoch milliseconds)");
        }
      }
    }
  }

  /** {@code weir table compact TABLE [--target-file-size BYTES]}. */
  @Command(name = "compact", mixinStandardHelpOptions = true,
      description = "Rewrite small data files (and files with deletes, applying them) into files"
          + " of the target size, in one commit.")
  static final class Compact implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;
    @Option(names = "--target-file-size", paramLabel = "BYTES",
        description = "Size of the files written. Default: the table's"
            + " write.target-file-size-bytes.")
    Long targetFileSize;

    @Override
    public void run() {
      String result = withLakehouse(node, lake -> {
        load(lake, name);
        TableMaintenance m = lake.maintenance(name);
        try {
          return (targetFileSize == null ? m.compact()
              : m.compact(org.apache.iceberg.expressions.Expressions.alwaysTrue(),
                  targetFileSize)).describe();
        } catch (ValidationException e) {
          throw new WeirException(e.getMessage(), e);
        }
      });
      spec.commandLine().getOut().println(result);
    }
  }

  /** {@code weir table expire TABLE [--older-than D] [--retain-last N]}. */
  @Command(name = "expire", mixinStandardHelpOptions = true,
      description = "Expire old snapshots and delete the files only they referenced.")
  static final class Expire implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;
    @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "7d",
        description = "Snapshots older than this go. Default: ${DEFAULT-VALUE}.")
    String olderThan;
    @Option(names = "--retain-last", paramLabel = "N", defaultValue = "1",
        description = "Snapshots of the main branch always kept. Default: ${DEFAULT-VALUE}.")
    int retainLast;

    @Override
    public void run() {
      Duration age = duration(olderThan, "--older-than");
      if (retainLast < 1) {
        throw new ParameterException(spec.commandLine(), "--retain-last must be at least 1");
      }
      String result = withLakehouse(node, lake -> {
        load(lake, name);
        return lake.maintenance(name).expireSnapshots(age, retainLast).describe();
      });
      spec.commandLine().getOut().println(result);
    }
  }

  /** {@code weir table remove-orphans TABLE [--grace D] [--dry-run]}. */
  @Command(name = "remove-orphans", mixinStandardHelpOptions = true,
      description = "Delete files under the table's location that no snapshot references.")
  static final class RemoveOrphans implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;
    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "3d",
        description = "Only files older than this (files being written are young)."
            + " Default: ${DEFAULT-VALUE}.")
    String grace;
    @Option(names = "--dry-run", description = "List the orphans; delete nothing.")
    boolean dryRun;

    @Override
    public void run() {
      Duration age = duration(grace, "--grace");
      PrintWriter out = spec.commandLine().getOut();
      withLakehouse(node, lake -> {
        load(lake, name);
        TableMaintenance m = lake.maintenance(name);
        if (dryRun) {
          List<FileInfo> orphans = m.findOrphanFiles(age);
          orphans.forEach(f -> out.println(f.location() + "\t" + f.size()));
          out.println(orphans.size() + " orphan file" + (orphans.size() == 1 ? "" : "s")
              + " (dry run: nothing deleted).");
        } else {
          MaintenanceResult.OrphansRemoved removed = m.removeOrphanFiles(age);
          removed.removedPaths().forEach(out::println);
          out.println(removed.describe());
        }
        return null;
      });
    }
  }

  /** {@code weir table rewrite-manifests TABLE}. */
  @Command(name = "rewrite-manifests", mixinStandardHelpOptions = true,
      description = "Rewrite the data manifests of many small commits into few.")
  static final class RewriteManifests implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;

    @Override
    public void run() {
      String result = withLakehouse(node, lake -> {
        load(lake, name);
        return lake.maintenance(name).rewriteManifests().describe();
      });
      spec.commandLine().getOut().println(result);
    }
  }

  /** {@code weir table rollback TABLE --to SNAPSHOT}. */
  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Make an earlier snapshot (an ancestor of the current one) current again.")
  static final class Rollback implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;
    @Option(names = "--to", required = true, paramLabel = "SNAPSHOT",
        description = "The snapshot id.") long to;

    @Override
    public void run() {
      withLakehouse(node, lake -> {
        Table t = load(lake, name);
        snapshot(t, to);
        try {
          t.manageSnapshots().rollbackTo(to).commit();
        } catch (ValidationException | IllegalArgumentException e) {
          throw new WeirException("cannot roll table " + display(t) + " back to " + to + ": "
              + e.getMessage(), e);
        }
        return null;
      });
      spec.commandLine().getOut().println("Rolled " + Lakehouse.identifier(name) + " back to"
          + " snapshot " + to + ".");
    }
  }

  /** Creates a branch or tag. */
  abstract static class CreateRef implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "TABLE", description = "namespace.table or table.")
    String name;
    @Parameters(index = "1", paramLabel = "NAME", description = "The branch or tag name.")
    String ref;
    @Option(names = "--snapshot", paramLabel = "ID",
        description = "At this snapshot. Default: the current one.") Long snapshotId;

    abstract boolean branch();

    @Override
    public void run() {
      long at = withLakehouse(node, lake -> {
        Table t = load(lake, name);
        long id;
        if (snapshotId != null) {
          id = snapshot(t, snapshotId).snapshotId();
        } else if (t.currentSnapshot() != null) {
          id = t.currentSnapshot().snapshotId();
        } else {
          throw new WeirException("table " + display(t) + " has no snapshot yet");
        }
        if (t.refs().containsKey(ref)) {
          throw new WeirException("table " + display(t) + " already has a "
              + (t.refs().get(ref).isBranch() ? "branch" : "tag") + " '" + ref + "'");
        }
        if (branch()) {
          t.manageSnapshots().createBranch(ref, id).commit();
        } else {
          t.manageSnapshots().createTag(ref, id).commit();
        }
        return id;
      });
      spec.commandLine().getOut().println("Created " + (branch() ? "branch " : "tag ") + ref
          + " of " + Lakehouse.identifier(name) + " at snapshot " + at + ".");
    }
  }

  /** {@code weir table branch create TABLE NAME [--snapshot ID]}. */
  @Command(name = "branch", mixinStandardHelpOptions = true, description = "Manage branches.",
      subcommands = {Branch.Create.class})
  static final class Branch implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "a branch command is required: create");
    }

    /** {@code weir table branch create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a branch at a snapshot.")
    static final class Create extends CreateRef {
      @Override
      boolean branch() {
        return true;
      }
    }
  }

  /** {@code weir table tag create TABLE NAME [--snapshot ID]}. */
  @Command(name = "tag", mixinStandardHelpOptions = true, description = "Manage tags.",
      subcommands = {Tag.Create.class})
  static final class Tag implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "a tag command is required: create");
    }

    /** {@code weir table tag create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a tag at a snapshot.")
    static final class Create extends CreateRef {
      @Override
      boolean branch() {
        return false;
      }
    }
  }
}
