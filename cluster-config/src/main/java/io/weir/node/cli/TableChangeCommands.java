package io.weir.node.cli;

import io.weir.api.WeirException;
import io.weir.lakehouse.Lakehouse;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir table partition} and {@code weir table alter}: partition evolution and column
 * changes through {@link Lakehouse#evolve}, each change one metadata commit. Subcommands of
 * {@link TableCommand}.
 */
final class TableChangeCommands {
  private TableChangeCommands() {}

  /** {@code weir table partition TABLE (--add TERM | --remove FIELD)...}. */
  @Command(name = "partition", mixinStandardHelpOptions = true,
      description = "Change how new files are partitioned (files written before keep their"
          + " spec; a running job's sink writers pick the new one up when they restart).")
  static final class Partition implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;
    @Option(names = "--add", paramLabel = "TERM", description = "Add a partition field: a"
        + " column, bucket(16, id) or bucket(id, 16), truncate(4, name), year|month|day|hour(ts).")
    List<String> add = new ArrayList<>();
    @Option(names = "--remove", paramLabel = "FIELD", description = "Remove a partition field,"
        + " by its name (see 'weir table describe') or its term.")
    List<String> remove = new ArrayList<>();

    @Override
    public void run() {
      if (add.isEmpty() && remove.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--add or --remove is required");
      }
      String result = TableCommand.withLakehouse(node, lake -> {
        TableCommand.load(lake, name);
        org.apache.iceberg.PartitionSpec now = null;
        try {
          for (String field : remove) {
            now = lake.evolve(name).removePartitionField(field);
          }
          for (String term : add) {
            now = lake.evolve(name).addPartitionField(term);
          }
        } catch (IllegalArgumentException e) {
          throw new WeirException(e.getMessage(), e);
        }
        return describe(now);
      });
      spec.commandLine().getOut().println("Partitioning of " + Lakehouse.identifier(name)
          + " (spec " + result);
    }

    private static String describe(org.apache.iceberg.PartitionSpec spec) {
      List<String> fields = new ArrayList<>();
      for (PartitionField f : spec.fields()) {
        if (!f.transform().isVoid()) {
          fields.add(f.name() + " = " + f.transform() + "("
              + spec.schema().findColumnName(f.sourceId()) + ")");
        }
      }
      return spec.specId() + "): " + (fields.isEmpty() ? "(none)" : String.join(", ", fields));
    }
  }

  /** {@code weir table alter TABLE (--rename-column A=B | --drop-column C | --widen C=TYPE)...}. */
  @Command(name = "alter", mixinStandardHelpOptions = true,
      description = "Rename, drop or widen columns (metadata only: no file is rewritten).")
  static final class Alter implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "TABLE", description = "namespace.table or table.") String name;
    @Option(names = "--rename-column", paramLabel = "OLD=NEW", description = "Rename a column.")
    List<String> renames = new ArrayList<>();
    @Option(names = "--drop-column", paramLabel = "COLUMN", description = "Drop a column (not"
        + " a primary key or partition source column).")
    List<String> drops = new ArrayList<>();
    @Option(names = "--widen", paramLabel = "COLUMN=TYPE", description = "Widen a column's type:"
        + " int to long, float to double, decimal(P,S) to decimal(P2,S) with P2 > P.")
    List<String> widens = new ArrayList<>();

    @Override
    public void run() {
      if (renames.isEmpty() && drops.isEmpty() && widens.isEmpty()) {
        throw new ParameterException(spec.commandLine(),
            "--rename-column, --drop-column or --widen is required");
      }
      List<String[]> renamePairs = renames.stream().map(r -> pair(r, "--rename-column")).toList();
      List<String[]> widenPairs = widens.stream().map(w -> pair(w, "--widen")).toList();
      PrintWriter out = spec.commandLine().getOut();
      TableCommand.withLakehouse(node, lake -> {
        TableCommand.load(lake, name);
        try {
          for (String[] p : renamePairs) {
            lake.evolve(name).renameColumn(p[0], p[1]);
            out.println("Renamed column " + p[0] + " to " + p[1] + ".");
          }
          for (String[] p : widenPairs) {
            Schema after = lake.evolve(name).widenColumn(p[0], p[1]);
            out.println("Widened column " + p[0] + " to " + after.findType(p[0]) + ".");
          }
          for (String c : drops) {
            lake.evolve(name).dropColumn(c);
            out.println("Dropped column " + c + ".");
          }
        } catch (IllegalArgumentException e) {
          throw new WeirException(e.getMessage(), e);
        }
        return null;
      });
    }

    private String[] pair(String value, String option) {
      int eq = value.indexOf('=');
      if (eq <= 0 || eq == value.length() - 1) {
        throw new ParameterException(spec.commandLine(), option + " takes NAME=VALUE, was '"
            + value + "'");
      }
      return new String[] {value.substring(0, eq).trim(), value.substring(eq + 1).trim()};
    }
  }
}
