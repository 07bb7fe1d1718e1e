package io.weir.benchmarks.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code weir bench iceberg --quick} end to end: it prints both RESULT lines, and both sides'
 * tables, read back with Iceberg's reader, hold every row once (not the timings). About a
 * minute and a half on a loaded 2-core machine, so tagged {@code bench}: run it with
 * {@code mvn -Pbench -pl benchmarks -am test -Dtest=IcebergBenchTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class IcebergBenchTest {
  @TempDir
  Path dir;

  @Test
  void theQuickModeFillsBothTablesWithEveryRowOnce() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new IcebergBenchCommand()).execute("--quick", "--dir",
          dir.toString());
    } finally {
      System.setOut(stdout);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertEquals(0, exit, output);
    assertTrue(output.contains("RESULT iceberg-rows-per-s weir="), output);
    assertTrue(output.contains("RESULT iceberg-commit-p99-ms weir="), output);
    for (String side : List.of("weir-lake", "flink-lake")) {
      try (Lakehouse lake = Lakehouse.open(LakehouseSettings.at(dir.resolve(side)))) {
        List<String> tables = lake.listTables();
        assertEquals(3, tables.size(), side + ": a warm-up run and two rounds: " + tables);
        for (String table : tables) {
          long[] counted = IcebergBenchCommand.count(lake.loadTable(table));
          assertEquals(IcebergBenchCommand.QUICK_ROWS, counted[0], side + " " + table);
          assertEquals(BenchRows.idSum(IcebergBenchCommand.QUICK_ROWS), counted[1],
              side + " " + table + ": every id once");
        }
      }
    }
  }
}
