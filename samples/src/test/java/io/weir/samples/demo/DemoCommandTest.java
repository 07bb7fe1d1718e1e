package io.weir.samples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code weir demo} end to end on an embedded node: page views through the log, counted per page
 * and minute by the stream job into the Iceberg table, read back, every view counted once.
 */
class DemoCommandTest {
  @TempDir Path temp;

  @Test
  void countsEveryPageViewOnceInTheIcebergTable() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new DemoCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute("--events", "6000", "--data-dir", temp.resolve("data").toString());
    String printed = out.toString();
    assertEquals(0, code, printed + err);
    assertTrue(printed.contains("[5/5] read "), printed);
    assertTrue(printed.contains("6,000 counted in the table (each once)"), printed);
    assertTrue(printed.contains("/home"), printed);

    // The data-lake sample on the table the demo wrote.
    StringWriter lake = new StringWriter();
    int lakeCode = new CommandLine(new DemoCommand())
        .setOut(new PrintWriter(lake, true))
        .setErr(new PrintWriter(err, true))
        .execute("lake", "--data-dir", temp.resolve("data").toString());
    String steps = lake.toString();
    assertEquals(0, lakeCode, steps + err);
    assertTrue(steps.contains("no file copied"), steps);
    assertTrue(steps.contains("Summary: every step read back as expected"), steps);
  }

  @Test
  void theServicesSampleShipsEveryOrderOnceAcrossTheGroup() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new DemoCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute("services", "--orders", "60", "--data-dir", temp.resolve("svc").toString());
    String printed = out.toString();
    assertEquals(0, code, printed + err);
    assertTrue(printed.contains("60 orders, 60 events shipped once each;"), printed);
    assertTrue(printed.contains("shipping-1 shipped") || printed.contains("shipping-2 shipped"),
        printed);
  }

  @Test
  void theCdcSampleMirrorsTheSourceTableRowForRow() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new DemoCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute("cdc", "--customers", "200", "--data-dir", temp.resolve("cdc").toString());
    String printed = out.toString();
    assertEquals(0, code, printed + err);
    assertTrue(printed.contains("identical to the source's"), printed);
  }

  @Test
  void theDataLakeSampleNeedsTheDemosTable() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new DemoCommand())
        .setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(err, true))
        .execute("lake", "--data-dir", temp.resolve("empty").toString());
    assertEquals(1, code, err.toString());
    assertTrue(err.toString().contains("run 'weir demo' first"), err.toString());
  }
}
